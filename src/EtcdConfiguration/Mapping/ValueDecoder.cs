using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;

namespace EtcdConfiguration.Mapping;

/// <summary>
/// Turns the value stored at one etcd key into the configuration pairs that key contributes, according to
/// <see cref="EtcdValueFormat"/>. Every value must be valid UTF-8. At the root path <c>""</c> (the prefix key
/// itself) only a JSON object or array contributes; an empty or blank value there contributes nothing and is
/// not an error (tools that create "directory" keys leave one), while any other value is an error because it
/// has no configuration key.
/// </summary>
internal static class ValueDecoder
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>Decodes <paramref name="value"/>, stored at the etcd key mapped to <paramref name="path"/>.</summary>
    /// <param name="format">How to read the value.</param>
    /// <param name="path">The configuration path of the etcd key, from <see cref="KeyMapper.TryMap"/>.</param>
    /// <param name="value">The raw value bytes.</param>
    /// <param name="pairs">The pairs the key contributes, keys unique case-insensitively; possibly none.</param>
    /// <param name="error">Why the value gives nothing, naming the problem but never the value.</param>
    public static bool TryDecode(
        EtcdValueFormat format,
        string path,
        ReadOnlySpan<byte> value,
        [NotNullWhen(true)] out KeyValuePair<string, string?>[]? pairs,
        [NotNullWhen(false)] out DecodeError? error)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!Utf8.IsValid(value))
        {
            pairs = null;
            error = new DecodeError(DecodeErrorKind.InvalidUtf8, "The value is not valid UTF-8.");
            return false;
        }

        var body = value.StartsWith(Utf8Bom) ? value[Utf8Bom.Length..] : value;
        int first = body.IndexOfAnyExcept(" \t\r\n"u8);
        if (path.Length == 0 && first < 0)
        {
            pairs = [];
            error = null;
            return true;
        }

        bool json = format switch
        {
            EtcdValueFormat.Json => true,
            EtcdValueFormat.Raw => false,
            EtcdValueFormat.Auto => first >= 0 && body[first] is (byte)'{' or (byte)'[',
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown value format."),
        };

        if (json)
        {
            return JsonValueFlattener.TryFlatten(body, path, out pairs, out error);
        }

        if (path.Length == 0)
        {
            pairs = null;
            error = JsonValueFlattener.ScalarAtRoot();
            return false;
        }

        pairs = [new KeyValuePair<string, string?>(path, Encoding.UTF8.GetString(value))];
        error = null;
        return true;
    }
}
