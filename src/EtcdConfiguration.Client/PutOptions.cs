namespace EtcdConfiguration.Client;

/// <summary>
/// How <see cref="KVClient.PutAsync(string, string, PutOptions?, CancellationToken)"/> writes: with a lease, returning
/// the previous value, or keeping the current value or lease.
/// </summary>
/// <example>
/// <code>
/// // leaseId: the ID of a lease granted with a 10 s TTL
/// await client.KV.PutAsync("/test/vanish", "gone in 10 s", new PutOptions { Lease = leaseId });
/// </code>
/// </example>
public sealed class PutOptions
{
    /// <summary>
    /// Attach the key to this lease, so it is deleted when the lease expires; 0 (the default) for none. A lease that
    /// has expired or never existed fails the put with <see cref="EtcdLeaseNotFoundException"/>.
    /// </summary>
    public long Lease { get; set; }

    /// <summary>Return the key as it was before this put in <see cref="PutResponse.PrevKv"/>.</summary>
    public bool PrevKv { get; set; }

    /// <summary>
    /// Keep the key's current value and change only its lease; the value given must be empty, and the key must
    /// exist.
    /// </summary>
    public bool IgnoreValue { get; set; }

    /// <summary>
    /// Keep the key's current lease and change only its value; <see cref="Lease"/> must be 0, and the key must exist.
    /// </summary>
    public bool IgnoreLease { get; set; }
}
