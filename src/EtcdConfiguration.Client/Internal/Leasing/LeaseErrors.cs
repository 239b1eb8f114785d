namespace EtcdConfiguration.Client.Internal.Leasing;

/// <summary>The failures the lease calls build themselves, rather than translate from a gRPC status.</summary>
internal static class LeaseErrors
{
    /// <summary>etcd answered a keep-alive with TTL 0: the lease expired or was revoked, and its keys are gone.</summary>
    public static EtcdLeaseNotFoundException NotFound(long id, string operation, string endpoint) => new(
        $"etcd {operation} on {endpoint}: lease {id} (0x{id:x}) no longer exists; it expired or was revoked, and its keys were deleted. Grant a new lease and put the keys again.",
        id,
        operation,
        endpoint,
        null);

    /// <summary>
    /// No renewal came within the TTL of the last one: etcd has expired the lease (or will once it has a leader)
    /// and deleted its keys, whether or not the client can reach it to hear so.
    /// </summary>
    public static EtcdLeaseExpiredException Expired(long id, TimeSpan ttl, string endpoints, string? lastEndpoint, Exception? lastFailure) => new(
        $"etcd Lease.KeepAlive: lease {id} (0x{id:x}) was not renewed within its TTL of {ttl.TotalSeconds:0.###} s: no member of {endpoints} answered a renewal"
        + (lastFailure is null ? string.Empty : $" (last error on {lastEndpoint}: {FailureText.Describe(lastFailure)})")
        + ". etcd expires a lease it does not hear from and deletes its keys; grant a new lease and put the keys again.",
        id,
        ttl,
        lastEndpoint,
        lastFailure);
}
