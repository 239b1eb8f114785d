namespace EtcdConfiguration.Client.Internal;

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
}
