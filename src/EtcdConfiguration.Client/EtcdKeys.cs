using EtcdConfiguration.Client.Internal;

namespace EtcdConfiguration.Client;

/// <summary>Key helpers, like Go's <c>clientv3.GetPrefixRangeEnd</c>.</summary>
public static class EtcdKeys
{
    /// <summary>
    /// The range end that, with <paramref name="prefix"/> as the key, covers exactly the keys starting with it:
    /// the prefix with its last byte incremented after dropping trailing 0xFF bytes, or the single byte 0x00
    /// ("to the end of the keyspace") when nothing is left.
    /// </summary>
    /// <param name="prefix">The prefix.</param>
    /// <returns>A new array holding the range end.</returns>
    public static byte[] GetPrefixRangeEnd(ReadOnlySpan<byte> prefix) => KeyRange.PrefixEnd(prefix).ToByteArray();
}
