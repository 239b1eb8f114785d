using System.Globalization;
using Google.Protobuf;

namespace EtcdConfiguration.Client.Namespaces;

/// <summary>
/// Lease calls seen from a namespace (Go's <c>namespace.NewLease</c>): leases are cluster-wide, so every call is the
/// client's own, except that <see cref="TimeToLiveAsync"/> lists only the attached keys inside the namespace,
/// relative to it.
/// </summary>
public sealed class NamespaceLeaseClient
{
    private readonly LeaseClient _lease;
    private readonly KeyPrefix _prefix;

    internal NamespaceLeaseClient(LeaseClient lease, KeyPrefix prefix)
    {
        _lease = lease;
        _prefix = prefix;
    }

    /// <inheritdoc cref="LeaseClient.GrantAsync"/>
    public Task<LeaseGrantResponse> GrantAsync(long ttlSeconds, CancellationToken cancellationToken = default) =>
        _lease.GrantAsync(ttlSeconds, cancellationToken);

    /// <inheritdoc cref="LeaseClient.RevokeAsync"/>
    public Task<ResponseHeader> RevokeAsync(long id, CancellationToken cancellationToken = default) =>
        _lease.RevokeAsync(id, cancellationToken);

    /// <inheritdoc cref="LeaseClient.LeasesAsync"/>
    public Task<IReadOnlyList<long>> LeasesAsync(CancellationToken cancellationToken = default) =>
        _lease.LeasesAsync(cancellationToken);

    /// <inheritdoc cref="LeaseClient.KeepAliveOnceAsync"/>
    public Task<LeaseKeepAliveResponse> KeepAliveOnceAsync(long id, CancellationToken cancellationToken = default) =>
        _lease.KeepAliveOnceAsync(id, cancellationToken);

    /// <inheritdoc cref="LeaseClient.KeepAliveAsync"/>
    public IAsyncEnumerable<LeaseKeepAliveResponse> KeepAliveAsync(long id, CancellationToken cancellationToken = default) =>
        _lease.KeepAliveAsync(id, cancellationToken);

    /// <summary>
    /// Tells how long a lease has left and, if asked, its keys: only those inside the namespace, relative to it
    /// (keys of the lease elsewhere are left out).
    /// </summary>
    /// <param name="id">The lease's ID.</param>
    /// <param name="keys">Whether to list the keys attached to the lease.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lease's state; <see cref="LeaseTimeToLiveResponse.Ttl"/> is -1 when it does not exist.</returns>
    public async Task<LeaseTimeToLiveResponse> TimeToLiveAsync(long id, bool keys = false, CancellationToken cancellationToken = default)
    {
        var response = await _lease.TimeToLiveAsync(id, keys, cancellationToken).ConfigureAwait(false);
        if (!keys)
        {
            return response;
        }

        var wire = new Wire.LeaseTimeToLiveResponse
        {
            Header = new Wire.ResponseHeader
            {
                ClusterId = response.Header.ClusterId,
                MemberId = response.Header.MemberId,
                Revision = response.Header.Revision,
                RaftTerm = response.Header.RaftTerm,
            },
            ID = response.Id,
            TTL = response.Ttl,
            GrantedTTL = response.GrantedTtl,
        };
        wire.Keys.AddRange(response.KeyBytes
            .Where(key => _prefix.Contains(key.Span))
            .Select(key => _prefix.Strip(UnsafeByteOperations.UnsafeWrap(key))));
        return new LeaseTimeToLiveResponse(wire);
    }

    /// <summary>The namespace, for logs.</summary>
    /// <returns>Such as <c>lease view of /tenant-a/</c>.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"lease view of {_prefix}");
}
