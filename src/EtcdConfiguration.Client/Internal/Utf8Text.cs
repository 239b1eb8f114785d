using System.Text;
using Google.Protobuf;

namespace EtcdConfiguration.Client.Internal;

/// <summary>Decodes etcd's key and value bytes for the string views of responses.</summary>
internal static class Utf8Text
{
    /// <summary>Decodes UTF-8, replacing invalid sequences with U+FFFD (use the bytes to tell them apart).</summary>
    public static string Decode(ByteString bytes) => bytes.IsEmpty ? string.Empty : Encoding.UTF8.GetString(bytes.Span);
}
