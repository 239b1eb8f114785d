namespace EtcdConfiguration;

/// <summary>A temporary override written by <see cref="EtcdConfigurationWriter.SetOverrideAsync"/>.</summary>
/// <param name="Key">The configuration key it overrides, such as <c>Checkout:MaxItems</c>.</param>
/// <param name="EtcdKey">The etcd key holding it, <c>{prefix}.overrides/Checkout/MaxItems</c>.</param>
/// <param name="LeaseId">The etcd lease it is bound to; revoking the lease removes the override.</param>
/// <param name="Ttl">The lease's time to live as etcd granted it (whole seconds).</param>
/// <param name="ExpiresAt">When the override goes away by itself, as this machine's clock reckons it.</param>
/// <param name="Revision">The etcd revision of the write.</param>
public sealed record EtcdConfigurationOverride(
    string Key,
    string EtcdKey,
    long LeaseId,
    TimeSpan Ttl,
    DateTimeOffset ExpiresAt,
    long Revision);
