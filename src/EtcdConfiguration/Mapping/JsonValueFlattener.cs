using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Mapping;

/// <summary>
/// Flattens a JSON value into configuration pairs with the rules of the framework's JSON file provider (.NET 10):
/// objects give <c>path:name</c>, arrays <c>path:0</c>, <c>path:1</c>…; strings give their unescaped text,
/// numbers their literal text (<c>1.50</c> stays <c>1.50</c>), <c>true</c>/<c>false</c> give <c>True</c>/<c>False</c>,
/// <c>null</c> gives <see langword="null"/>; an empty object gives its path with a <see langword="null"/> value
/// and an empty array its path with an empty string, except at the root path <c>""</c>, which gives nothing.
/// Comments are skipped and trailing commas allowed, as in appsettings.json. A key given twice (compared
/// case-insensitively) by two leaves is an error, while an empty object or array overwrites what is there, as the
/// file provider does. Reads the bytes once with <see cref="Utf8JsonReader"/>, without recursion, so hostile
/// nesting costs nothing beyond <see cref="MaxDepth"/>.
/// </summary>
internal static class JsonValueFlattener
{
    /// <summary>The deepest nesting of objects and arrays accepted; the JSON file provider's default too.</summary>
    public const int MaxDepth = 64;

    // The reader gets one level of slack so that the check below, not the reader, reports the depth.
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = MaxDepth + 1,
    };

    private static readonly string Delimiter = ConfigurationPath.KeyDelimiter;

    // Property names up to this many chars are joined to their parent's path without a string of their own.
    private const int StackNameChars = 128;

    // Scratch space reused by every call on a thread (there is no recursion and no callback), so flattening a value
    // allocates its pairs and nothing else: at startup every key's value passes through here.
    [ThreadStatic]
    private static PairCollector? t_output;

    [ThreadStatic]
    private static Frame[]? t_frames;

    /// <summary>
    /// Flattens the JSON document in <paramref name="json"/> (valid UTF-8, no byte order mark) beneath
    /// <paramref name="path"/>; at the root path <c>""</c> the document must be an object or array.
    /// </summary>
    public static bool TryFlatten(
        ReadOnlySpan<byte> json,
        string path,
        [NotNullWhen(true)] out KeyValuePair<string, string?>[]? pairs,
        [NotNullWhen(false)] out DecodeError? error)
    {
        pairs = null;
        var output = t_output ??= new PairCollector();
        var frames = t_frames ??= new Frame[8];
        int depth = 0;
        string? propertyPath = null;
        DecodeError? duplicate = null;
        var reader = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        if (reader.CurrentDepth >= MaxDepth)
                        {
                            error = new DecodeError(
                                DecodeErrorKind.TooDeep,
                                $"The JSON value nests objects and arrays deeper than {MaxDepth} levels.");
                            return false;
                        }

                        string? containerPath = depth == 0 ? RootPath(path) : ChildPath(ref frames[depth - 1], propertyPath);
                        if (depth == frames.Length)
                        {
                            Array.Resize(ref frames, frames.Length * 2);
                            t_frames = frames;
                        }

                        frames[depth++] = new Frame(containerPath, reader.TokenType == JsonTokenType.StartArray);
                        break;

                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        var done = frames[--depth];
                        if (done.IsEmpty && done.Path is not null)
                        {
                            output.Overwrite(done.Path, done.IsArray ? string.Empty : null);
                        }

                        break;

                    case JsonTokenType.PropertyName:
                        ref var owner = ref frames[depth - 1];
                        owner.IsEmpty = false;
                        propertyPath = owner.Path is null ? reader.GetString()! : ChildName(owner.Path, ref reader);
                        break;

                    default:
                        string? key = depth == 0 ? RootPath(path) : ChildPath(ref frames[depth - 1], propertyPath);
                        if (key is null)
                        {
                            error = ScalarAtRoot();
                            return false;
                        }

                        // Read on: JSON that does not parse further on is the more basic problem, as in the file provider.
                        if (!output.TryAdd(key, ScalarText(ref reader)))
                        {
                            duplicate ??= new DecodeError(
                                DecodeErrorKind.DuplicateKey,
                                $"The JSON value gives the configuration key '{key}' more than once (keys are case-insensitive).");
                        }

                        break;
                }
            }

            if (duplicate is not null)
            {
                error = duplicate;
                return false;
            }

            pairs = output.ToArray();
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            // The reader's own message quotes the offending character, which belongs to the value: give only the place.
            error = new DecodeError(
                DecodeErrorKind.InvalidJson,
                $"The value is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1} of that line).");
            return false;
        }
        catch (InvalidOperationException)
        {
            // GetString rejects escapes that do not form valid UTF-16, such as a lone "\ud800"; the file provider fails there too.
            error = new DecodeError(
                DecodeErrorKind.InvalidJson,
                $"The value is not valid JSON: a string holds an escape that is not valid Unicode (line {LineOf(json, reader.TokenStartIndex) + 1}).");
            return false;
        }
        finally
        {
            output.Clear();
            Array.Clear(frames);
        }
    }

    /// <summary>The error for a value at the prefix key that has no configuration key of its own.</summary>
    public static DecodeError ScalarAtRoot() => new(
        DecodeErrorKind.ScalarAtRoot,
        "The value at the prefix key itself must be a JSON object or array (or empty): a single value there has no configuration key.");

    private static string? RootPath(string path) => path.Length == 0 ? null : path;

    // parent + ':' + the property name, unescaped, without first making the name a string of its own.
    private static string ChildName(string parent, ref Utf8JsonReader reader)
    {
        // Unescaped, a name never has more UTF-16 chars than it has bytes.
        if (reader.HasValueSequence || reader.ValueSpan.Length > StackNameChars)
        {
            return parent + Delimiter + reader.GetString();
        }

        Span<char> name = stackalloc char[StackNameChars];
        int length = reader.CopyString(name);
        return string.Concat(parent, Delimiter, name[..length]);
    }

    private static string ChildPath(ref Frame parent, string? propertyPath)
    {
        if (!parent.IsArray)
        {
            return propertyPath!;
        }

        parent.IsEmpty = false;
        string index = (parent.NextIndex++).ToString(CultureInfo.InvariantCulture);
        return parent.Path is null ? index : parent.Path + Delimiter + index;
    }

    private static string? ScalarText(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
        JsonTokenType.True => bool.TrueString,
        JsonTokenType.False => bool.FalseString,
        _ => null,
    };

    private static long LineOf(ReadOnlySpan<byte> json, long offset) =>
        json[..(int)Math.Min(offset, json.Length)].Count((byte)'\n');

    private struct Frame(string? path, bool isArray)
    {
        // null only for the root container at the root path: its children are named without a parent.
        public readonly string? Path = path;
        public readonly bool IsArray = isArray;
        public bool IsEmpty = true;
        public int NextIndex;
    }

    // Keeps the flattened pairs in order of appearance and finds a key case-insensitively, by a scan while there
    // are few and through an index once there are more.
    private sealed class PairCollector
    {
        private const int ScanLimit = 8;

        private readonly List<KeyValuePair<string, string?>> _pairs = [];
        private Dictionary<string, int>? _index;

        public bool TryAdd(string key, string? value)
        {
            if (IndexOf(key) >= 0)
            {
                return false;
            }

            Append(key, value);
            return true;
        }

        // An empty object or array replaces whatever the key holds, keeping the key's first spelling.
        public void Overwrite(string key, string? value)
        {
            int at = IndexOf(key);
            if (at >= 0)
            {
                _pairs[at] = new KeyValuePair<string, string?>(_pairs[at].Key, value);
            }
            else
            {
                Append(key, value);
            }
        }

        public KeyValuePair<string, string?>[] ToArray() => [.. _pairs];

        public void Clear()
        {
            _pairs.Clear();
            _index = null;
        }

        private int IndexOf(string key)
        {
            if (_index is not null)
            {
                return _index.TryGetValue(key, out int at) ? at : -1;
            }

            for (int i = 0; i < _pairs.Count; i++)
            {
                if (string.Equals(_pairs[i].Key, key, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            return -1;
        }

        private void Append(string key, string? value)
        {
            if (_index is null && _pairs.Count == ScanLimit)
            {
                _index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
                for (int i = 0; i < _pairs.Count; i++)
                {
                    _index.Add(_pairs[i].Key, i);
                }
            }

            _index?.Add(key, _pairs.Count);
            _pairs.Add(new KeyValuePair<string, string?>(key, value));
        }
    }
}
