namespace EtcdConfiguration.Client;

/// <summary>
/// A kept-alive lease could not be renewed within its TTL: no member answered a renewal (every member
/// unreachable, or none with a leader) for the whole TTL that etcd gave with the last renewal, so etcd has
/// expired the lease and deleted its keys, or will as soon as it can. <see cref="LeaseClient.KeepAliveAsync"/>
/// ends with it, as Go's keep-alive channel closes and <c>etcdctl lease keep-alive</c> exits.
/// </summary>
/// <remarks>
/// It is an <see cref="EtcdLeaseNotFoundException"/>, so code that handles a lease that is gone handles this one
/// too: the holder must act as if it no longer holds the lease (grant a new one and put its keys again).
/// </remarks>
public class EtcdLeaseExpiredException : EtcdLeaseNotFoundException
{
    /// <summary>Creates an exception with a message.</summary>
    public EtcdLeaseExpiredException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public EtcdLeaseExpiredException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a lease whose TTL ran out without a renewal.</summary>
    /// <param name="message">The whole message.</param>
    /// <param name="leaseId">The lease.</param>
    /// <param name="ttl">The TTL etcd gave with the last renewal.</param>
    /// <param name="endpoint">The endpoint the client last tried, when known.</param>
    /// <param name="innerException">The last failure of the keep-alive stream, when there was one.</param>
    public EtcdLeaseExpiredException(string message, long leaseId, TimeSpan ttl, string? endpoint, Exception? innerException)
        : base(message, leaseId, "Lease.KeepAlive", endpoint, innerException)
    {
        Ttl = ttl;
    }

    /// <summary>Creates an exception without a message.</summary>
    public EtcdLeaseExpiredException()
    {
    }

    /// <summary>The TTL etcd gave with the lease's last renewal, which ran out with no renewal since.</summary>
    public TimeSpan Ttl { get; }
}
