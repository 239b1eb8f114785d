using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Mapping;

/// <summary>
/// Turns etcd keys under a prefix into configuration paths. The prefix is a directory: it always ends with
/// <c>/</c>, so <c>/myapp</c> and <c>/myapp/</c> both cover <c>/myapp/...</c> and never <c>/myappspam</c>.
/// The rest of the key is split on <c>/</c>, empty segments are dropped and the segments are joined with
/// <see cref="ConfigurationPath.KeyDelimiter"/>; a <c>:</c> inside a segment therefore delimits sections too.
/// The prefix key itself (or the prefix followed only by slashes) maps to the root path <c>""</c>.
/// </summary>
/// <remarks>
/// The first segment <see cref="OverridesSegment"/> is reserved: <c>{prefix}.overrides/A/B</c> is the temporary
/// override of <c>A:B</c>, never the ordinary key <c>.overrides:A:B</c>. This is the one place that rule lives.
/// </remarks>
internal sealed partial class KeyMapper
{
    /// <summary>The first segment under the prefix that holds temporary overrides instead of ordinary keys.</summary>
    public const string OverridesSegment = ".overrides";

    private const int StackBufferChars = 256;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _prefixBytes;

    /// <summary>Creates a mapper for the keys under <paramref name="prefix"/>.</summary>
    /// <exception cref="ArgumentException">The prefix is empty or not valid Unicode.</exception>
    public KeyMapper(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        Prefix = prefix.EndsWith('/') ? prefix : prefix + "/";
        try
        {
            _prefixBytes = StrictUtf8.GetBytes(Prefix);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException("The etcd key prefix is not valid Unicode text (it contains a lone surrogate).", nameof(prefix), ex);
        }

        RangeEnd = EtcdConfiguration.Client.KeyRangeEnd.ForPrefix(_prefixBytes);
    }

    /// <summary>The normalised prefix, always ending with <c>/</c>.</summary>
    public string Prefix { get; }

    /// <summary>The UTF-8 bytes of <see cref="Prefix"/>: the start (inclusive) of the key range to get and watch.</summary>
    public ReadOnlyMemory<byte> PrefixBytes => _prefixBytes;

    /// <summary>The end (exclusive) of the key range holding every key under <see cref="Prefix"/>.</summary>
    public ReadOnlyMemory<byte> RangeEnd { get; }

    /// <summary>
    /// Maps an etcd key to its configuration path.
    /// </summary>
    /// <param name="etcdKey">The raw key bytes.</param>
    /// <param name="path">The configuration path; <c>""</c> for the prefix key itself.</param>
    /// <param name="segmentCount">
    /// How many sections deep the path is (its <c>:</c>-separated parts; 0 for the root). A key that names a
    /// setting directly has more segments than a JSON blob above it, which decides conflicts between them.
    /// </param>
    /// <param name="isOverride">
    /// Whether the key is a temporary override: <c>{prefix}.overrides</c> or a key under <c>{prefix}.overrides/</c>,
    /// whose <paramref name="path"/> is then the configuration key it overrides (the rest of the key, mapped the same way).
    /// </param>
    /// <param name="error">Why the key was not mapped, or <see cref="KeyMapError.None"/>.</param>
    /// <returns><see langword="true"/> if the key was mapped.</returns>
    public bool TryMap(ReadOnlySpan<byte> etcdKey, out string path, out int segmentCount, out bool isOverride, out KeyMapError error)
    {
        path = string.Empty;
        segmentCount = 0;
        isOverride = false;
        if (!etcdKey.StartsWith(_prefixBytes))
        {
            error = KeyMapError.OutsidePrefix;
            return false;
        }

        var rest = etcdKey[_prefixBytes.Length..];
        if (!Utf8.IsValid(rest))
        {
            error = KeyMapError.InvalidUtf8;
            return false;
        }

        error = KeyMapError.None;
        if (IsOverridesPath(rest))
        {
            isOverride = true;
            rest = rest[Math.Min(OverridesSegmentUtf8.Length + 1, rest.Length)..];
        }

        if (rest.IsEmpty)
        {
            return true;
        }

        char[]? rented = null;
        var chars = rest.Length <= StackBufferChars
            ? stackalloc char[StackBufferChars]
            : (rented = ArrayPool<char>.Shared.Rent(rest.Length));
        try
        {
            int decoded = Encoding.UTF8.GetChars(rest, chars);
            int length = JoinSegments(chars[..decoded]);
            path = length == 0 ? string.Empty : new string(chars[..length]);
            segmentCount = CountSegments(path);
            return true;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static ReadOnlySpan<byte> OverridesSegmentUtf8 => ".overrides"u8;

    // The part of a key after the prefix: the reserved segment itself, or anything under it.
    private static bool IsOverridesPath(ReadOnlySpan<byte> rest) =>
        rest.StartsWith(OverridesSegmentUtf8) && (rest.Length == OverridesSegmentUtf8.Length || rest[OverridesSegmentUtf8.Length] == (byte)'/');

    /// <summary>
    /// The depth of a configuration path: its <c>:</c>-separated parts, or 0 for the root path <c>""</c>.
    /// </summary>
    public static int CountSegments(string path) =>
        path.Length == 0 ? 0 : path.AsSpan().Count(':') + 1;

    /// <summary>
    /// Renders an etcd key for a log or error message: its text, with any byte that is not valid UTF-8 shown as
    /// <c>\xNN</c>.
    /// </summary>
    public static string Describe(ReadOnlySpan<byte> etcdKey)
    {
        if (Utf8.IsValid(etcdKey))
        {
            return Encoding.UTF8.GetString(etcdKey);
        }

        var text = new StringBuilder(etcdKey.Length + 8);
        Span<char> chars = stackalloc char[64];
        while (!etcdKey.IsEmpty)
        {
            var status = Utf8.ToUtf16(etcdKey, chars, out int read, out int written, replaceInvalidSequences: false);
            text.Append(chars[..written]);
            etcdKey = etcdKey[read..];
            if (status == OperationStatus.InvalidData || status == OperationStatus.NeedMoreData)
            {
                text.Append(@"\x").Append(etcdKey[0].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                etcdKey = etcdKey[1..];
            }
        }

        return text.ToString();
    }

    // Rewrites "a//b/c/" as "a:b:c" in place and returns the new length.
    private static int JoinSegments(Span<char> chars)
    {
        int written = 0;
        bool pendingDelimiter = false;
        foreach (char c in chars)
        {
            if (c == '/')
            {
                pendingDelimiter = written > 0;
                continue;
            }

            if (pendingDelimiter)
            {
                chars[written++] = ConfigurationPath.KeyDelimiter[0];
                pendingDelimiter = false;
            }

            chars[written++] = c;
        }

        return written;
    }
}
