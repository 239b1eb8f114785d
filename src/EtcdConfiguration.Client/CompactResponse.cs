namespace EtcdConfiguration.Client;

/// <summary>The result of <see cref="KVClient.CompactAsync"/>.</summary>
public sealed class CompactResponse
{
    internal CompactResponse(ResponseHeader header) => Header = header;

    /// <summary>The response header.</summary>
    public ResponseHeader Header { get; }
}
