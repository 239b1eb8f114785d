namespace EtcdConfiguration.Client;

/// <summary>One renewal of a lease, from <see cref="LeaseClient.KeepAliveOnceAsync"/> or <see cref="LeaseClient.KeepAliveAsync"/>.</summary>
public sealed class LeaseKeepAliveResponse
{
    internal LeaseKeepAliveResponse(Wire.LeaseKeepAliveResponse response)
    {
        Header = ResponseHeader.From(response.Header);
        Id = response.ID;
        Ttl = response.TTL;
    }

    /// <summary>The response header.</summary>
    public ResponseHeader Header { get; }

    /// <summary>The lease's ID.</summary>
    public long Id { get; }

    /// <summary>The lease's time to live after the renewal, in seconds: its whole granted TTL again.</summary>
    public long Ttl { get; }
}
