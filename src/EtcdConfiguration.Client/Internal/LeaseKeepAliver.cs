using System.Diagnostics;
using System.Threading.Channels;
using EtcdConfiguration.Client.Internal.Resilience;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Client.Internal;

/// <summary>
/// Keeps every lease of one client alive over one LeaseKeepAlive stream, as Go's <c>lessor</c> does: one loop
/// sends each lease's renewal when a third of its TTL has passed, routes the answers by lease ID, ends a lease's
/// readers with <see cref="EtcdLeaseNotFoundException"/> when etcd says it is gone, and when the stream breaks
/// fails over, backs off and renews every lease at once on the new stream. A lease whose last TTL runs out (on the
/// client's <see cref="TimeProvider"/>) with no renewal since ends its readers with
/// <see cref="EtcdLeaseExpiredException"/>, as Go's deadline loop does. The stream closes when no lease is kept
/// alive.
/// </summary>
internal sealed class LeaseKeepAliver
{
    private static readonly TimeSpan _longestWait = TimeSpan.FromMilliseconds(500);
    private readonly EtcdConnection _connection;
    private readonly Lock _gate = new();
    private readonly Dictionary<long, KeptLease> _leases = [];
    private TaskCompletionSource _wakeup = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _loopClosing;
    private CancellationTokenSource? _session;
    private EndpointChannel? _sessionEndpoint;
    private Task _loop = Task.CompletedTask;
    private bool _disposed;
    private int _streamsOpened;

    // Why the stream last broke and where, for the message of a lease that expires while it cannot reconnect.
    private Exception? _lastFailure;
    private string? _lastFailedEndpoint;

    public LeaseKeepAliver(EtcdConnection connection)
    {
        _connection = connection;
        _connection.EndpointsChanged += OnEndpointsRemoved;
    }

    /// <summary>How many LeaseKeepAlive streams this client has opened (for tests: leases share one).</summary>
    public int StreamsOpened => Volatile.Read(ref _streamsOpened);

    /// <summary>The endpoint the keep-alive stream is open on; <see langword="null"/> while none is.</summary>
    public string? StreamEndpoint
    {
        get
        {
            lock (_gate)
            {
                return _sessionEndpoint?.Address;
            }
        }
    }

    /// <summary>
    /// Starts renewing <paramref name="id"/> (at once) for a new reader of its renewals; <paramref name="knownTtlSeconds"/>,
    /// when the caller knows the lease lives that long from now, starts its deadline before the first renewal.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public Channel<LeaseKeepAliveResponse> Add(long id, long? knownTtlSeconds = null)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(EtcdClient));
            if (!_leases.TryGetValue(id, out var lease))
            {
                lease = new KeptLease(id, _connection.Policy.TimeProvider);
                _leases.Add(id, lease);
            }

            if (knownTtlSeconds is { } ttl)
            {
                lease.Deadline.Known(ttl);
            }

            var reader = lease.AddReader();
            if (lease.SentAt is null)
            {
                // A new reader gets a renewal at once, not a third of the TTL later; one in flight serves it too.
                lease.DueAt = long.MinValue;
            }

            if (_loopClosing is null)
            {
                var closing = new CancellationTokenSource();
                _loopClosing = closing;
                _loop = Task.Run(() => RunAsync(closing));
            }

            _wakeup.TrySetResult();
            _wakeup = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return reader;
        }
    }

    /// <summary>A reader left: the lease is no longer renewed once it has no reader, and the stream closes with the last.</summary>
    public void Remove(long id, Channel<LeaseKeepAliveResponse> reader)
    {
        lock (_gate)
        {
            if (!_leases.TryGetValue(id, out var lease) || !lease.RemoveReader(reader))
            {
                return;
            }

            reader.Writer.TryComplete();
            if (!lease.HasReaders)
            {
                _leases.Remove(id);
            }

            if (_leases.Count == 0)
            {
                _session?.Cancel();
            }
        }
    }

    /// <summary>The lease was revoked by this client: its readers end normally.</summary>
    public void Release(long id)
    {
        lock (_gate)
        {
            if (_leases.Remove(id, out var lease))
            {
                lease.Complete(null);
            }

            if (_leases.Count == 0)
            {
                _session?.Cancel();
            }
        }
    }

    /// <summary>
    /// Ends every keep-alive (their enumerations finish normally) and stops the loop. Unless <paramref name="dispose"/>,
    /// later keep-alives start a new loop.
    /// </summary>
    public Task CloseAsync(bool dispose)
    {
        Task loop;
        lock (_gate)
        {
            if (_disposed)
            {
                return _loop;
            }

            _disposed = dispose;
            foreach (var lease in _leases.Values)
            {
                lease.Complete(null);
            }

            _leases.Clear();
            _loopClosing?.Cancel();
            _loopClosing = null;
            loop = _loop;
        }

        return loop;
    }

    private async Task RunAsync(CancellationTokenSource loopClosing)
    {
        var closing = loopClosing.Token;
        var backoff = new ReconnectBackoff(_connection.Policy);
        using var deadlinesStop = CancellationTokenSource.CreateLinkedTokenSource(closing);
        var deadlines = ExpireLeasesAsync(deadlinesStop.Token);
        try
        {
            while (true)
            {
                int count;
                lock (_gate)
                {
                    count = _leases.Count;
                    if (count == 0 || closing.IsCancellationRequested)
                    {
                        // Under the same lock as the check, so a lease added now starts a new loop.
                        if (_loopClosing == loopClosing)
                        {
                            _loopClosing = null;
                        }

                        return;
                    }
                }

                var endpoint = _connection.Current;
                var (cause, renewed) = await RunStreamAsync(endpoint, closing);
                if (renewed)
                {
                    backoff.Reset();
                }

                if (cause is null || closing.IsCancellationRequested)
                {
                    continue;
                }

                lock (_gate)
                {
                    _lastFailure = cause;
                    _lastFailedEndpoint = endpoint.Address;
                }

                if (cause is RpcException rpc && RpcFailure.NeedsNewToken(rpc))
                {
                    // Renewing an expired token needs no other endpoint.
                    await backoff.WaitAsync(backoff.Next(), closing);
                    continue;
                }

                var next = _connection.ReportFailure(endpoint, cause);
                var delay = backoff.Next();
                _connection.Logger.LogWarning(
                    "etcd lease keep-alive stream on {Endpoint} broke ({Reason}); renewing {Count} lease(s) on {Next} in {Delay} ms (attempt {Attempt}).",
                    endpoint.Address,
                    EtcdConnection.Describe(cause),
                    count,
                    next.Address,
                    (int)delay.TotalMilliseconds,
                    backoff.Attempt);
                await backoff.WaitAsync(delay, closing);
            }
        }
        catch (Exception ex) when (closing.IsCancellationRequested)
        {
            _connection.Logger.LogDebug("The etcd lease keep-alive loop stopped as the client closed: {Reason}", ex.Message);
        }
        catch (Exception ex)
        {
            _connection.Logger.LogError(ex, "The etcd lease keep-alive loop failed; ending every keep-alive with the failure.");
            FailAll(new EtcdException($"The etcd lease keep-alive stream failed unexpectedly: {ex.Message}", ex));
        }
        finally
        {
            lock (_gate)
            {
                if (_loopClosing == loopClosing)
                {
                    _loopClosing = null;
                }
            }

            await deadlinesStop.CancelAsync();
            await deadlines;
            loopClosing.Dispose();
        }
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
                var wait = _longestWait;
                lock (_gate)
                {
                    List<KeptLease>? expired = null;
                    foreach (var lease in _leases.Values)
                    {
                        if (lease.Deadline.Remaining is not { } remaining)
                        {
                            continue;
                        }

                        if (remaining == TimeSpan.Zero)
                        {
                            (expired ??= []).Add(lease);
                        }
                        else if (remaining < wait)
                        {
                            wait = remaining;
                        }
                    }

                    foreach (var lease in expired ?? [])
                    {
                        var failure = LeaseErrors.Expired(lease.Id, lease.Deadline.Ttl!.Value, _connection.EndpointList, _lastFailedEndpoint, _lastFailure);
                        _connection.Logger.LogWarning("{Message}", failure.Message);
                        _leases.Remove(lease.Id);
                        lease.Complete(failure);
                    }

                    if (expired is not null && _leases.Count == 0)
                    {
                        _session?.Cancel();
                    }
                }

                await Task.Delay(wait, time, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The loop stopped; nothing is kept alive any more.
        }
    }

    /// <summary>
    /// Runs one stream until it breaks (returning why) or no lease is left (returning no cause); also tells whether
    /// etcd renewed anything on it.
    /// </summary>
    private async Task<(Exception? Cause, bool Renewed)> RunStreamAsync(EndpointChannel endpoint, CancellationToken closing)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(closing);
        Exception? stalled = null;
        var renewed = false;
        string? token = null;
        var sending = Task.CompletedTask;
        AsyncDuplexStreamingCall<Wire.LeaseKeepAliveRequest, Wire.LeaseKeepAliveResponse>? call = null;
        try
        {
            var options = await _connection.CreateCallOptionsAsync(endpoint, requireLeader: true, session.Token);
            token = _connection.Auth.CurrentToken;
            call = endpoint.Lease.LeaseKeepAlive(options);
            Interlocked.Increment(ref _streamsOpened);
            lock (_gate)
            {
                if (_leases.Count == 0)
                {
                    return (null, false);
                }

                _session = session;
                _sessionEndpoint = endpoint;
                foreach (var lease in _leases.Values)
                {
                    lease.DueAt = long.MinValue;
                    lease.SentAt = null;
                }
            }

            sending = SendLoopAsync(call.RequestStream, session, failure =>
            {
                stalled = failure;
                session.Cancel();
            });
            while (await call.ResponseStream.MoveNext(session.Token))
            {
                _connection.ReportSuccess(endpoint);
                renewed = true;
                lock (_gate)
                {
                    OnResponse(endpoint, call.ResponseStream.Current);
                }
            }

            return (new EtcdUnavailableException($"etcd at {endpoint.Address} closed the lease keep-alive stream."), renewed);
        }
        catch (RpcException ex) when (RpcFailure.NeedsNewToken(ex))
        {
            _connection.Auth.Invalidate(token);
            return (ex, renewed);
        }
        catch (RpcException ex) when (TransientFailures.IsPermanentStreamFailure(ex) && !session.IsCancellationRequested)
        {
            FailAll(EtcdErrorTranslator.Translate(ex, "Lease.KeepAlive", endpoint.Address, _connection.Auth.Username));
            return (null, renewed);
        }
        catch (Exception ex) when (TransientFailures.IsStreamBreak(ex))
        {
            if (stalled is not null)
            {
                return (stalled, renewed);
            }

            lock (_gate)
            {
                // Canceled because the last lease left: nothing broke.
                return (_leases.Count == 0 || closing.IsCancellationRequested ? null : ex, renewed);
            }
        }
        finally
        {
            lock (_gate)
            {
                if (_session == session)
                {
                    _session = null;
                    _sessionEndpoint = null;
                }
            }

            await session.CancelAsync();
            call?.Dispose();
            await sending;
        }
    }

    /// <summary>
    /// Sends each lease's renewal when it is due, and gives up on the stream when a renewal goes unanswered for
    /// longer than the request timeout (a frozen member).
    /// </summary>
    private async Task SendLoopAsync(IClientStreamWriter<Wire.LeaseKeepAliveRequest> writer, CancellationTokenSource session, Action<Exception> onFailure)
    {
        var timeout = _connection.Options.RequestTimeout;
        var due = new List<long>();
        try
        {
            while (!session.IsCancellationRequested)
            {
                var now = Stopwatch.GetTimestamp();
                var wait = _longestWait;
                Task wakeup;
                due.Clear();
                lock (_gate)
                {
                    wakeup = _wakeup.Task;
                    foreach (var lease in _leases.Values)
                    {
                        if (lease.SentAt is { } sent)
                        {
                            if (Stopwatch.GetElapsedTime(sent, now) > timeout)
                            {
                                onFailure(new TimeoutException(
                                    $"etcd did not answer the keep-alive of lease {lease.Id} within {timeout.TotalSeconds:0.###} s (RequestTimeout)."));
                                return;
                            }
                        }
                        else if (lease.DueAt <= now)
                        {
                            lease.SentAt = now;
                            due.Add(lease.Id);
                        }
                        else if (Stopwatch.GetElapsedTime(now, lease.DueAt) < wait)
                        {
                            wait = Stopwatch.GetElapsedTime(now, lease.DueAt);
                        }
                    }
                }

                foreach (var id in due)
                {
                    await writer.WriteAsync(new Wire.LeaseKeepAliveRequest { ID = id }, session.Token);
                }

                await Task.WhenAny(wakeup, Task.Delay(wait, session.Token));
            }
        }
        catch (OperationCanceledException) when (session.IsCancellationRequested)
        {
            // The stream ended; its reader says why.
        }
        catch (Exception ex) when (ex is RpcException or IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            onFailure(ex);
        }
    }

    /// <summary>Routes a renewal (under the lock) to the lease's readers, or ends them when etcd says the lease is gone.</summary>
    private void OnResponse(EndpointChannel endpoint, Wire.LeaseKeepAliveResponse response)
    {
        if (!_leases.TryGetValue(response.ID, out var lease))
        {
            return;
        }

        lease.SentAt = null;
        if (response.TTL <= 0)
        {
            _leases.Remove(lease.Id);
            lease.Complete(LeaseErrors.NotFound(lease.Id, "Lease.KeepAlive", endpoint.Address));
            return;
        }

        lease.DueAt = Stopwatch.GetTimestamp() + (long)(response.TTL / 3.0 * Stopwatch.Frequency);
        lease.Deadline.Renewed(response.TTL);
        _lastFailure = null;
        _lastFailedEndpoint = null;
        lease.Publish(new LeaseKeepAliveResponse(response));
    }

    /// <summary>The client's endpoints changed: a stream open on one that left reconnects to the new list.</summary>
    private void OnEndpointsRemoved(IReadOnlyList<EndpointChannel> removed)
    {
        lock (_gate)
        {
            if (_sessionEndpoint is { } endpoint && removed.Contains(endpoint))
            {
                _session?.Cancel();
            }
        }
    }

    private void FailAll(Exception failure)
    {
        lock (_gate)
        {
            foreach (var lease in _leases.Values)
            {
                lease.Complete(failure);
            }

            _leases.Clear();
        }
    }
}
