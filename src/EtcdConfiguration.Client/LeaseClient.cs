using System.Collections.ObjectModel;
using System.Runtime.CompilerServices;
using EtcdConfiguration.Client.Internal;
using EtcdConfiguration.Client.Internal.Leasing;
using Grpc.Core;

namespace EtcdConfiguration.Client;

/// <summary>
/// Lease calls: Grant, Revoke, TimeToLive, Leases, KeepAlive and KeepAliveOnce. A key put with a lease is deleted
/// when the lease expires or is revoked. Every <see cref="KeepAliveAsync"/> of a client shares one background loop
/// and one gRPC stream, which fails over and reconnects by itself.
/// </summary>
/// <example>
/// <code>
/// var lease = await client.Lease.GrantAsync(10);
/// // put "/services/api/1" with lease.Id, then:
/// await foreach (var renewal in client.Lease.KeepAliveAsync(lease.Id, stopping)) { }
/// </code>
/// </example>
public sealed class LeaseClient
{
    private readonly EtcdConnection _connection;
    private readonly Lock _gate = new();

    // Made by the first keep-alive: a client that never keeps a lease alive (a configuration provider) holds no
    // keep-alive loop, lease table or stream state.
    private LeaseKeepAliver? _keepAliver;
    private bool _shutDown;

    internal LeaseClient(EtcdConnection connection) => _connection = connection;

    /// <summary>How many LeaseKeepAlive streams the keep-alive loop has opened so far.</summary>
    internal int StreamsOpened => Volatile.Read(ref _keepAliver)?.StreamsOpened ?? 0;

    /// <summary>The endpoint the keep-alive stream is open on; <see langword="null"/> while none is.</summary>
    internal string? StreamEndpoint => Volatile.Read(ref _keepAliver)?.StreamEndpoint;

    /// <summary>Grants a new lease.</summary>
    /// <param name="ttlSeconds">The time to live in seconds; etcd may grant more (its minimum), never less.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lease's ID and granted TTL.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ttlSeconds"/> is not positive.</exception>
    /// <exception cref="EtcdException">The call failed (see the subclasses).</exception>
    public async Task<LeaseGrantResponse> GrantAsync(long ttlSeconds, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ttlSeconds);
        var request = new Wire.LeaseGrantRequest { TTL = ttlSeconds };
        var response = await _connection.UnaryAsync(
            "Lease.Grant",
            (channel, options) => channel.Lease.LeaseGrantAsync(request, options),
            idempotent: false,
            cancellationToken);
        if (!string.IsNullOrEmpty(response.Error))
        {
            throw new EtcdException($"etcd Lease.Grant of a {ttlSeconds} s lease failed: {response.Error}");
        }

        return new LeaseGrantResponse(response);
    }

    /// <summary>
    /// Revokes a lease: it ends at once and every key attached to it is deleted. Keep-alives of the lease on this
    /// client end normally.
    /// </summary>
    /// <param name="id">The lease's ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response header; its revision is the one that deleted the lease's keys.</returns>
    /// <exception cref="EtcdLeaseNotFoundException">The lease does not exist (it expired or was revoked).</exception>
    /// <exception cref="EtcdException">The call failed otherwise.</exception>
    public async Task<ResponseHeader> RevokeAsync(long id, CancellationToken cancellationToken = default)
    {
        var request = new Wire.LeaseRevokeRequest { ID = id };
        var response = await _connection.UnaryAsync(
            "Lease.Revoke",
            (channel, options) => channel.Lease.LeaseRevokeAsync(request, options),
            idempotent: false,
            cancellationToken,
            leaseId: id);
        Volatile.Read(ref _keepAliver)?.Release(id);
        return ResponseHeader.From(response.Header);
    }

    /// <summary>Tells how long a lease has left, its granted TTL and, if asked, its keys.</summary>
    /// <param name="id">The lease's ID.</param>
    /// <param name="keys">Whether to list the keys attached to the lease.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lease's state; <see cref="LeaseTimeToLiveResponse.Ttl"/> is -1 when it does not exist (no exception).</returns>
    /// <exception cref="EtcdException">The call failed.</exception>
    public async Task<LeaseTimeToLiveResponse> TimeToLiveAsync(long id, bool keys = false, CancellationToken cancellationToken = default)
    {
        var request = new Wire.LeaseTimeToLiveRequest { ID = id, Keys = keys };
        var response = await _connection.UnaryAsync(
            "Lease.TimeToLive",
            (channel, options) => channel.Lease.LeaseTimeToLiveAsync(request, options),
            idempotent: true,
            cancellationToken,
            leaseId: id);
        return new LeaseTimeToLiveResponse(response);
    }

    /// <summary>Lists every lease of the cluster.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The leases' IDs.</returns>
    /// <exception cref="EtcdException">The call failed.</exception>
    public async Task<IReadOnlyList<long>> LeasesAsync(CancellationToken cancellationToken = default)
    {
        var response = await _connection.UnaryAsync(
            "Lease.Leases",
            static (channel, options) => channel.Lease.LeaseLeasesAsync(new Wire.LeaseLeasesRequest(), options),
            idempotent: true,
            cancellationToken);
        return new ReadOnlyCollection<long>(response.Leases.Select(l => l.ID).ToArray());
    }

    /// <summary>Renews a lease once, to its whole granted TTL. <see cref="KeepAliveAsync"/> renews for as long as needed.</summary>
    /// <param name="id">The lease's ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lease's TTL after the renewal.</returns>
    /// <exception cref="EtcdLeaseNotFoundException">The lease does not exist (it expired or was revoked).</exception>
    /// <exception cref="EtcdException">The call failed otherwise.</exception>
    public Task<LeaseKeepAliveResponse> KeepAliveOnceAsync(long id, CancellationToken cancellationToken = default)
    {
        const string operation = "Lease.KeepAliveOnce";

        // A renewal may safely run twice, so it is retried as a read; etcd answers it only on its keep-alive stream.
        return _connection.UnaryAsync(
            operation,
            async (endpoint, options) =>
            {
                using var call = endpoint.Lease.LeaseKeepAlive(options);
                await call.RequestStream.WriteAsync(new Wire.LeaseKeepAliveRequest { ID = id }, options.CancellationToken);
                await call.RequestStream.CompleteAsync();
                if (!await call.ResponseStream.MoveNext(options.CancellationToken))
                {
                    throw new RpcException(new Status(StatusCode.Unavailable, $"etcd at {endpoint.Address} closed the keep-alive stream without an answer."));
                }

                _connection.ReportSuccess(endpoint);
                var response = call.ResponseStream.Current;
                return response.TTL <= 0
                    ? throw LeaseErrors.NotFound(id, operation, endpoint.Address)
                    : new LeaseKeepAliveResponse(response);
            },
            idempotent: true,
            cancellationToken,
            leaseId: id,
            requireLeader: true);
    }

    /// <summary>
    /// Keeps a lease alive for as long as the enumeration runs, renewing it at once and then about every third of its
    /// TTL, and yields each renewal. All keep-alives of a client share one background loop and stream, which
    /// reconnects by itself; a second keep-alive of a lease already kept alive also gets its first renewal at once.
    /// </summary>
    /// <param name="id">The lease's ID.</param>
    /// <param name="cancellationToken">Stops renewing (the lease then expires after its TTL) and ends the enumeration with an <see cref="OperationCanceledException"/>.</param>
    /// <returns>
    /// The renewals (a reader too slow to take them all sees the latest ones). The enumeration ends normally when
    /// <see cref="CloseAsync"/> or <see cref="RevokeAsync"/> (on this client) or the client's disposal ends it.
    /// </returns>
    /// <exception cref="EtcdLeaseNotFoundException">(While enumerating) etcd reports the lease gone: it expired or was revoked.</exception>
    /// <exception cref="EtcdLeaseExpiredException">
    /// (While enumerating) no member renewed the lease within the TTL etcd gave with its last renewal, measured on
    /// <see cref="EtcdClientOptions.TimeProvider"/> (every member unreachable or without a leader): etcd has expired
    /// it. Before the first renewal the TTL is unknown, so the enumeration waits for it.
    /// </exception>
    public IAsyncEnumerable<LeaseKeepAliveResponse> KeepAliveAsync(long id, CancellationToken cancellationToken = default) =>
        KeepAliveCoreAsync(id, null, cancellationToken);

    /// <summary>
    /// <see cref="KeepAliveAsync(long, CancellationToken)"/> for a caller that knows the lease lives
    /// <paramref name="knownTtlSeconds"/> from now (it was just granted): the TTL then counts from the start, so the
    /// enumeration ends with <see cref="EtcdLeaseExpiredException"/> even if no renewal ever arrives.
    /// </summary>
    internal IAsyncEnumerable<LeaseKeepAliveResponse> KeepAliveWithKnownTtlAsync(long id, long knownTtlSeconds, CancellationToken cancellationToken) =>
        KeepAliveCoreAsync(id, knownTtlSeconds, cancellationToken);

    /// <summary>
    /// Ends every keep-alive of this client (their enumerations finish normally; the leases expire after their
    /// TTL) and closes the keep-alive stream. Later keep-alives start it again.
    /// </summary>
    /// <returns>A task that completes when the loop has stopped.</returns>
    public Task CloseAsync() => Volatile.Read(ref _keepAliver)?.CloseAsync(dispose: false) ?? Task.CompletedTask;

    /// <summary>Ends every keep-alive for good (on client dispose).</summary>
    internal Task ShutdownAsync()
    {
        lock (_gate)
        {
            _shutDown = true;
            return _keepAliver?.CloseAsync(dispose: true) ?? Task.CompletedTask;
        }
    }

    private LeaseKeepAliver KeepAliver()
    {
        if (Volatile.Read(ref _keepAliver) is { } existing)
        {
            return existing;
        }

        lock (_gate)
        {
            if (_keepAliver is null)
            {
                // After the client closed, a first keep-alive fails as later ones do on a loop closed for good.
                ObjectDisposedException.ThrowIf(_shutDown, typeof(EtcdClient));
                Volatile.Write(ref _keepAliver, new LeaseKeepAliver(_connection));
            }

            return _keepAliver;
        }
    }

    private async IAsyncEnumerable<LeaseKeepAliveResponse> KeepAliveCoreAsync(long id, long? knownTtlSeconds, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var keepAliver = KeepAliver();
        var reader = keepAliver.Add(id, knownTtlSeconds);
        try
        {
            while (await reader.Reader.WaitToReadAsync(cancellationToken))
            {
                while (reader.Reader.TryRead(out var response))
                {
                    yield return response;
                }
            }
        }
        finally
        {
            keepAliver.Remove(id, reader);
        }
    }
}
