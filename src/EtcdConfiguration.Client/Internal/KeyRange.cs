using Google.Protobuf;

namespace EtcdConfiguration.Client.Internal;

/// <summary>
/// etcd's range rules: the range end that makes a key a prefix, and the encodings of "every key" and
/// "every key from here on".
/// </summary>
internal static class KeyRange
{
    /// <summary>The single byte 0x00: as a range end it means "to the end of the keyspace".</summary>
    public static readonly ByteString EndOfKeyspace = ByteString.CopyFrom(0);

    /// <summary>
    /// The range end covering every key that starts with <paramref name="prefix"/>: the prefix with its last
    /// byte incremented, after dropping trailing 0xFF bytes; 0x00 (end of keyspace) when nothing is left.
    /// </summary>
    public static ByteString PrefixEnd(ReadOnlySpan<byte> prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] != 0xFF)
            {
                var end = new byte[i + 1];
                prefix[..(i + 1)].CopyTo(end);
                end[i]++;
                return UnsafeByteOperations.UnsafeWrap(end);
            }
        }

        return EndOfKeyspace;
    }

    /// <summary>
    /// The key to send for a prefix request: etcd rejects an empty key, so the empty prefix becomes 0x00 (with
    /// range end 0x00, every key).
    /// </summary>
    public static ByteString PrefixKey(ByteString prefix) => prefix.IsEmpty ? EndOfKeyspace : prefix;
}
