using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EtcdConfiguration.Caching;

/// <summary>
/// The last-known-good cache file's content: the configuration pairs a provider served (as readers saw them),
/// the prefix and value format they were decoded for, and the etcd revision they reflect at least.
/// </summary>
/// <remarks>
/// <para>
/// The file is a small JSON document (<see cref="FormatName"/>, <see cref="CurrentVersion"/>) with a SHA-256
/// checksum over every other field, computed on a length-prefixed binary form rather than on JSON text so that
/// JSON escaping can never make a good file look corrupt. A file that does not parse, has another format or
/// version, or whose checksum does not match is rejected as a whole: it is never partly trusted.
/// </para>
/// <para>
/// Rejection messages say what is wrong and where (line and byte), never a value: the file holds configuration
/// values, so nothing read from it reaches a message, and the JSON reader's own messages (which quote the
/// offending text) are not passed on.
/// </para>
/// </remarks>
internal sealed class CacheDocument(string prefix, string valueFormat, long revision, DateTimeOffset writtenAt, KeyValuePair<string, string?>[] pairs)
{
    public const string FormatName = "EtcdConfiguration.Cache";

    public const int CurrentVersion = 1;

    public string Prefix { get; } = prefix;

    public string ValueFormat { get; } = valueFormat;

    public long Revision { get; } = revision;

    public DateTimeOffset WrittenAt { get; } = writtenAt;

    /// <summary>The configuration pairs, keys unique case-insensitively.</summary>
    public KeyValuePair<string, string?>[] Pairs { get; } = pairs;

    /// <summary>Writes the document as indented UTF-8 JSON, pairs in ordinal key order.</summary>
    public void WriteTo(Stream stream)
    {
        var pairs = (KeyValuePair<string, string?>[])Pairs.Clone();
        Array.Sort(pairs, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var writtenAt = WrittenAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("format", FormatName);
        json.WriteNumber("version", CurrentVersion);
        json.WriteString("prefix", Prefix);
        json.WriteString("valueFormat", ValueFormat);
        json.WriteNumber("revision", Revision);
        json.WriteString("writtenAt", writtenAt);
        json.WriteString("sha256", Checksum(Prefix, ValueFormat, Revision, writtenAt, pairs));
        json.WriteStartObject("data");
        foreach (var (key, value) in pairs)
        {
            if (value is null)
            {
                json.WriteNull(key);
            }
            else
            {
                json.WriteString(key, value);
            }
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>Reads and checks a document.</summary>
    /// <exception cref="InvalidDataException">The content is not a whole, intact cache document; the message says why.</exception>
    public static CacheDocument Read(Stream stream)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 4 });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException(
                $"it is not a complete JSON document (it may be truncated), at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "format") != FormatName)
            {
                throw new InvalidDataException($"it is not an etcd configuration cache (format '{FormatName}').");
            }

            if (!root.TryGetProperty("version", out var version) || !version.TryGetInt32(out int number) || number != CurrentVersion)
            {
                throw new InvalidDataException($"its version is not {CurrentVersion}, the one this version of EtcdConfiguration reads.");
            }

            var prefix = Text(root, "prefix");
            var valueFormat = Text(root, "valueFormat");
            var writtenAtText = Text(root, "writtenAt");
            var checksum = Text(root, "sha256");
            if (prefix is null || valueFormat is null || writtenAtText is null || checksum is null
                || !root.TryGetProperty("revision", out var revisionElement) || !revisionElement.TryGetInt64(out long revision) || revision < 0
                || !DateTimeOffset.TryParse(writtenAtText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var writtenAt)
                || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException("a field (prefix, valueFormat, revision, writtenAt, sha256 or data) is missing or malformed.");
            }

            var pairs = new List<KeyValuePair<string, string?>>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in data.EnumerateObject())
            {
                if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                {
                    throw new InvalidDataException("a value in its data is neither a string nor null.");
                }

                if (!seen.Add(property.Name))
                {
                    throw new InvalidDataException("its data holds a configuration key twice.");
                }

                pairs.Add(new(property.Name, property.Value.ValueKind == JsonValueKind.Null ? null : property.Value.GetString()));
            }

            var array = pairs.ToArray();
            if (!string.Equals(Checksum(prefix, valueFormat, revision, writtenAtText, array), checksum, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException("its checksum does not match its content (it was damaged or edited).");
            }

            return new CacheDocument(prefix, valueFormat, revision, writtenAt, array);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;

    // SHA-256 over every field, each string as a 4-byte length (-1 for null) and its UTF-8 bytes, in file order.
    private static string Checksum(string prefix, string valueFormat, long revision, string writtenAt, KeyValuePair<string, string?>[] pairs)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(number, CurrentVersion);
        hash.AppendData(number[..4]);
        Append(hash, prefix);
        Append(hash, valueFormat);
        BinaryPrimitives.WriteInt64LittleEndian(number, revision);
        hash.AppendData(number);
        Append(hash, writtenAt);
        BinaryPrimitives.WriteInt32LittleEndian(number, pairs.Length);
        hash.AppendData(number[..4]);
        foreach (var (key, value) in pairs)
        {
            Append(hash, key);
            Append(hash, value);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Append(IncrementalHash hash, string? text)
    {
        Span<byte> length = stackalloc byte[4];
        if (text is null)
        {
            BinaryPrimitives.WriteInt32LittleEndian(length, -1);
            hash.AppendData(length);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
