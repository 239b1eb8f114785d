using System.Text;
using EtcdConfiguration.Client.Internal;

namespace EtcdConfiguration.Client;

/// <summary>
/// Range ends for <see cref="GetOptions.RangeEndBytes"/> and <see cref="DeleteOptions.RangeEndBytes"/> when
/// <see cref="GetOptions.Prefix"/> is not enough, such as reading a prefix in pages (Go's
/// <c>clientv3.GetPrefixRangeEnd</c>).
/// </summary>
/// <example>
/// <code>
/// // The next page of "/myapp/": from just after the last key read, to the end of the prefix.
/// byte[] afterLast = [.. last.KeyBytes.Span, 0x00];
/// var next = await client.KV.GetAsync(
///     afterLast,
///     new GetOptions { RangeEndBytes = KeyRangeEnd.ForPrefix("/myapp/"), Limit = 1000, Revision = firstPage.Header.Revision });
/// </code>
/// </example>
public static class KeyRangeEnd
{
    /// <summary>
    /// The exclusive end of every key starting with <paramref name="prefix"/>: the prefix with its last byte
    /// incremented after dropping trailing 0xFF bytes, or the single byte 0x00 (end of the keyspace) when nothing
    /// is left. It is bytes, not a string, since it need not be valid UTF-8.
    /// </summary>
    /// <param name="prefix">The prefix, as UTF-8.</param>
    /// <returns>The range end.</returns>
    public static ReadOnlyMemory<byte> ForPrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return ForPrefix(Encoding.UTF8.GetBytes(prefix));
    }

    /// <inheritdoc cref="ForPrefix(string)"/>
    public static ReadOnlyMemory<byte> ForPrefix(ReadOnlySpan<byte> prefix) => KeyRange.PrefixEnd(prefix).Memory;
}
