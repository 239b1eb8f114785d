using System.Threading.Channels;
using EtcdConfiguration.Client.Internal.Resilience;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Client.Internal.Leasing;

/// <summary>
/// Keeps every lease of one client alive over one LeaseKeepAlive stream, as Go's <c>lessor</c> does: one loop
/// sends each lease's renewal when a third of its TTL has passed, routes the answers by lease ID, ends a lease's
/// readers with <see cref="EtcdLeaseNotFoundException"/> when etcd says it is gone, and when the stream breaks
/// fails over, backs off and renews every lease at once on the new stream. A lease whose last TTL runs out (on the
/// client's <see cref="TimeProvider"/>) with no renewal since ends its readers with
/// <see cref="EtcdLeaseExpiredException"/>, as Go's deadline loop does. The stream closes when no lease is kept
/// alive.
/// </summary>
/// <remarks>
/// The parts: <see cref="LeaseTable"/> (the leases and the open stream), <see cref="KeptLease"/> (one lease's
/// schedule and deadline), <see cref="KeepAliveStream"/> (one stream, send and receive). This class decides what
/// happens after a stream ends, and expires leases whose deadline passed.
/// </remarks>
internal sealed class LeaseKeepAliver
{
    private readonly EtcdConnection _connection;
    private readonly LeaseTable _leases;
    private readonly KeepAliveStream _streams;
    private readonly ReconnectLoop _loop;

    public LeaseKeepAliver(EtcdConnection connection)
    {
        _connection = connection;
        _leases = new LeaseTable(connection.Policy.TimeProvider);
        _streams = new KeepAliveStream(connection, _leases);
        _loop = new ReconnectLoop(
            _leases.Gate,
            "lease keep-alive",
            connection.Policy,
            connection.Logger,
            () => _leases.Count,
            RunStreamAsync,
            _leases.FailAll,
            ExpireLeasesAsync);
        _connection.EndpointsChanged += _leases.BreakIfOn;
    }

    /// <inheritdoc cref="KeepAliveStream.StreamsOpened"/>
    public int StreamsOpened => _streams.StreamsOpened;

    /// <inheritdoc cref="LeaseTable.StreamEndpoint"/>
    public string? StreamEndpoint => _leases.StreamEndpoint;

    /// <inheritdoc cref="LeaseTable.Add"/>
    public Channel<LeaseKeepAliveResponse> Add(long id, long? knownTtlSeconds = null)
    {
        lock (_leases.Gate)
        {
            var reader = _leases.Add(id, knownTtlSeconds);
            _loop.EnsureRunning();
            return reader;
        }
    }

    /// <inheritdoc cref="LeaseTable.Remove"/>
    public void Remove(long id, Channel<LeaseKeepAliveResponse> reader) => _leases.Remove(id, reader);

    /// <inheritdoc cref="LeaseTable.Release"/>
    public void Release(long id) => _leases.Release(id);

    /// <summary>
    /// Ends every keep-alive (their enumerations finish normally) and stops the loop. Unless <paramref name="dispose"/>,
    /// later keep-alives start a new loop.
    /// </summary>
    public Task CloseAsync(bool dispose)
    {
        lock (_leases.Gate)
        {
            return _leases.TryClose(dispose) ? _loop.Stop() : _loop.Completion;
        }
    }

    /// <summary>Runs one stream, then decides from how it ended how long to wait before the next.</summary>
    private async Task RunStreamAsync(int count, ReconnectBackoff backoff, CancellationToken closing)
    {
        var endpoint = _connection.Current;
        var (cause, renewed) = await _streams.RunAsync(endpoint, closing);
        if (renewed)
        {
            backoff.Reset();
        }

        if (cause is null || closing.IsCancellationRequested)
        {
            return;
        }

        _leases.RecordFailure(cause, endpoint.Address);
        if (cause is RpcException rpc && RpcFailure.NeedsNewToken(rpc))
        {
            // Renewing an expired token needs no other endpoint.
            await backoff.WaitAsync(backoff.Next(), closing);
            return;
        }

        var next = _connection.ReportFailure(endpoint, cause);
        var delay = backoff.Next();
        _connection.Logger.LogWarning(
            "etcd lease keep-alive stream on {Endpoint} broke ({Reason}); renewing {Count} lease(s) on {Next} in {Delay} ms (attempt {Attempt}).",
            endpoint.Address,
            FailureText.Describe(cause),
            count,
            next.Address,
            (int)delay.TotalMilliseconds,
            backoff.Attempt);
        await backoff.WaitAsync(delay, closing);
    }

    /// <summary>
    /// Ends each lease whose last TTL has run out with no renewal since, whatever the stream is doing (it may be
    /// failing to reconnect to members that are all gone): etcd has expired such a lease.
    /// </summary>
    private async Task ExpireLeasesAsync(CancellationToken stop)
    {
        var time = _connection.Policy.TimeProvider;
        try
        {
            while (true)
            {
                var wait = _leases.ExpireOverdue(KeepAliveStream.LongestWait, _connection.EndpointList, _connection.Logger);
                await Task.Delay(wait, time, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The loop stopped; nothing is kept alive any more.
        }
    }
}
