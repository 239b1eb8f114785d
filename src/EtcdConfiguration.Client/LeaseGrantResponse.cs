namespace EtcdConfiguration.Client;

/// <summary>The result of <see cref="LeaseClient.GrantAsync"/>: a new lease.</summary>
public sealed class LeaseGrantResponse
{
    internal LeaseGrantResponse(Wire.LeaseGrantResponse response)
    {
        Header = ResponseHeader.From(response.Header);
        Id = response.ID;
        Ttl = response.TTL;
    }

    /// <summary>The response header.</summary>
    public ResponseHeader Header { get; }

    /// <summary>The lease's ID, to attach keys to it (a put's lease option) and to keep it alive.</summary>
    public long Id { get; }

    /// <summary>The time to live etcd granted, in seconds (it may be longer than asked, never shorter).</summary>
    public long Ttl { get; }
}
