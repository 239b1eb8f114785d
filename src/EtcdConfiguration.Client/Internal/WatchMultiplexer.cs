using System.Diagnostics;
using EtcdConfiguration.Client.Internal.Resilience;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Client.Internal;

/// <summary>
/// Carries every watch of one client over one gRPC Watch stream, as Go's <c>watchGrpcStream</c> does: it opens
/// the stream when the first watch starts, sends creates and cancels through one queue, routes responses by
/// watch id, and when the stream breaks fails over to the next endpoint, backs off and re-creates every watch
/// from the revision after the last one it delivered. The stream closes when the last watch ends.
/// </summary>
internal sealed class WatchMultiplexer
{
    private const string Operation = "Watch";
    private readonly EtcdConnection _connection;
    private readonly object _eventSender;
    private readonly Lock _gate = new();
    private readonly List<WatchSubscription> _watchers = [];
    private CancellationTokenSource? _loopClosing;
    private WatchSession? _session;
    private Task _loop = Task.CompletedTask;
    private bool _closed;
    private int _streamsOpened;

    // Whether the last stream broke and no watch has been created on a new one since; only the loop writes it.
    private volatile bool _broken;

    /// <param name="connection">The client's connection.</param>
    /// <param name="eventSender">The sender the stream events name: the public <see cref="WatchClient"/>.</param>
    public WatchMultiplexer(EtcdConnection connection, object eventSender)
    {
        _connection = connection;
        _eventSender = eventSender;
        _connection.EndpointsChanged += OnEndpointsRemoved;
    }

    /// <summary>
    /// Raised on the watch loop when the stream breaks, before the loop backs off and retries. Handlers must be
    /// quick; a handler that throws is logged and ignored.
    /// </summary>
    public event EventHandler<WatchStreamBrokenEventArgs>? StreamBroken;

    /// <summary>Raised on the watch loop when, after a break, etcd created a watch on a new stream.</summary>
    public event EventHandler<WatchStreamRestoredEventArgs>? StreamRestored;

    /// <summary>Whether the stream broke and no watch has been created on a new one since.</summary>
    public bool IsBroken => _broken;

    /// <summary>How many Watch streams this client has opened (for tests: watches share one).</summary>
    public int StreamsOpened => Volatile.Read(ref _streamsOpened);

    /// <summary>The endpoint of the open stream; <see langword="null"/> while none is open.</summary>
    public string? StreamEndpoint
    {
        get
        {
            lock (_gate)
            {
                return _session?.Endpoint.Address;
            }
        }
    }

    /// <summary>Starts a watch: it is created on the open stream, or on the one about to open.</summary>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public WatchSubscription Add(Wire.WatchCreateRequest request)
    {
        var watcher = new WatchSubscription(request);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, typeof(EtcdClient));
            _watchers.Add(watcher);
            _session?.QueueCreate(watcher);
            if (_loopClosing is null)
            {
                var closing = new CancellationTokenSource();
                _loopClosing = closing;
                _loop = Task.Run(() => RunAsync(closing));
            }
        }

        return watcher;
    }

    /// <summary>Ends a watch whose reader left: etcd is asked to cancel it, and the stream closes if it was the last.</summary>
    public void Remove(WatchSubscription watcher)
    {
        lock (_gate)
        {
            if (!_watchers.Remove(watcher))
            {
                return;
            }

            watcher.Removed = true;
            watcher.Complete(null);
            if (_session is not { } session)
            {
                return;
            }

            if (_watchers.Count == 0)
            {
                _session = null;
                session.Stop(WatchSessionEnd.Idle);
            }
            else
            {
                // A watch still being created is canceled when its created response arrives.
                session.Cancel(watcher);
            }
        }
    }

    /// <summary>Asks etcd for a progress notification on every watch; false when no stream is open.</summary>
    public bool RequestProgress()
    {
        lock (_gate)
        {
            return _session?.SendProgressRequest() ?? false;
        }
    }

    /// <summary>
    /// Ends every watch (their enumerations finish normally) and closes the stream; returns the loop, which stops
    /// soon after. Unless <paramref name="dispose"/>, later watches open a new stream.
    /// </summary>
    public Task CloseAsync(bool dispose)
    {
        List<WatchSubscription> watchers;
        Task loop;
        lock (_gate)
        {
            if (_closed)
            {
                return _loop;
            }

            _closed = dispose;
            watchers = [.. _watchers];
            _watchers.Clear();
            _session?.Stop(WatchSessionEnd.Closed);
            _session = null;
            _loopClosing?.Cancel();
            _loopClosing = null;
            loop = _loop;
        }

        foreach (var watcher in watchers)
        {
            watcher.Complete(null);
        }

        return loop;
    }

    private async Task RunAsync(CancellationTokenSource loopClosing)
    {
        var closing = loopClosing.Token;
        var backoff = new ReconnectBackoff(_connection.Policy);
        try
        {
            while (true)
            {
                int count;
                lock (_gate)
                {
                    count = _watchers.Count;
                    if (_closed || count == 0 || closing.IsCancellationRequested)
                    {
                        // Under the same lock as the check, so a watch added now starts a new loop.
                        if (_loopClosing == loopClosing)
                        {
                            _loopClosing = null;
                        }

                        return;
                    }
                }

                var endpoint = _connection.Current;
                using var session = new WatchSession(endpoint, closing);
                var end = await RunSessionAsync(session);
                lock (_gate)
                {
                    if (_session == session)
                    {
                        _session = null;
                    }
                }

                if (session.CreatedAny)
                {
                    backoff.Reset();
                }

                switch (end.Kind)
                {
                    case WatchSessionEndKind.Idle:
                        backoff.Reset();
                        continue;
                    case WatchSessionEndKind.Closed:
                        continue;
                    case WatchSessionEndKind.NewToken:
                        _connection.Logger.LogInformation(
                            "etcd refused the authentication token of user '{User}' for a watch on {Endpoint} ({Reason}); authenticating again and re-creating {Count} watch(es).",
                            _connection.Auth.Username,
                            endpoint.Address,
                            EtcdConnection.Describe(end.Cause!),
                            count);
                        await backoff.WaitAsync(backoff.NextImmediateFirst(), closing);
                        continue;
                    default:
                        var next = _connection.ReportFailure(endpoint, end.Cause!);
                        var delay = backoff.Next();
                        // One Warning per outage: the first break says the stream is gone; every later attempt
                        // while it stays gone is a Debug line, so a long outage does not flood the log.
                        _connection.Logger.Log(
                            _broken ? LogLevel.Debug : LogLevel.Warning,
                            "The etcd watch stream on {Endpoint} broke ({Reason}); re-creating {Count} watch(es) on {Next} in {Delay} ms (attempt {Attempt}).",
                            endpoint.Address,
                            EtcdConnection.Describe(end.Cause!),
                            count,
                            next.Address,
                            (int)delay.TotalMilliseconds,
                            backoff.Attempt);
                        _broken = true;
                        RaiseBroken(new WatchStreamBrokenEventArgs(endpoint.Address, end.Cause!, next.Address, delay, backoff.Attempt));
                        await backoff.WaitAsync(delay, closing);
                        continue;
                }
            }
        }
        catch (Exception ex) when (closing.IsCancellationRequested)
        {
            _connection.Logger.LogDebug("The etcd watch loop stopped as the client closed: {Reason}", ex.Message);
        }
        catch (Exception ex)
        {
            _connection.Logger.LogError(ex, "The etcd watch loop failed; ending every watch with the failure.");
            lock (_gate)
            {
                FailAll(new EtcdException($"The etcd watch stream failed unexpectedly: {ex.Message}", ex));
                if (_loopClosing == loopClosing)
                {
                    _loopClosing = null;
                }
            }
        }
        finally
        {
            loopClosing.Dispose();
        }
    }

    /// <summary>Opens one stream, creates every watch on it and routes what comes back, until it ends.</summary>
    private async Task<WatchSessionEnd> RunSessionAsync(WatchSession session)
    {
        CallOptions callOptions;
        try
        {
            callOptions = await _connection.CreateCallOptionsAsync(session.Endpoint, requireLeader: true, session.Token);
            session.AuthToken = _connection.Auth.CurrentToken;
        }
        catch (RpcException ex) when (TransientFailures.IsPermanentStreamFailure(ex) && !session.Token.IsCancellationRequested)
        {
            // Wrong credentials, for instance: retrying cannot help.
            FailAll(EtcdErrorTranslator.Translate(ex, "Auth.Authenticate", session.Endpoint.Address, _connection.Auth.Username));
            return WatchSessionEnd.Idle;
        }
        catch (Exception ex) when (TransientFailures.IsStreamBreak(ex))
        {
            return session.End ?? WatchSessionEnd.Broken(ex);
        }

        var call = session.Endpoint.Watch.Watch(callOptions);
        var sending = Task.CompletedTask;
        var watchdog = Task.CompletedTask;
        try
        {
            Interlocked.Increment(ref _streamsOpened);
            lock (_gate)
            {
                if (_closed || _watchers.Count == 0 || session.Token.IsCancellationRequested)
                {
                    session.Stop(_closed || session.Token.IsCancellationRequested ? WatchSessionEnd.Closed : WatchSessionEnd.Idle);
                    return session.End!;
                }

                _session = session;
                foreach (var watcher in _watchers)
                {
                    session.QueueCreate(watcher);
                }
            }

            sending = session.SendLoopAsync(call.RequestStream, ex => StopLocked(session, WatchSessionEnd.Broken(ex)));
            watchdog = WatchCreatesAsync(session);
            while (await call.ResponseStream.MoveNext(session.Token))
            {
                _connection.ReportSuccess(session.Endpoint);
                lock (_gate)
                {
                    if (session.End is null)
                    {
                        Dispatch(session, call.ResponseStream.Current);
                    }
                }

                if (_broken && session.CreatedAny)
                {
                    _broken = false;
                    _connection.Logger.LogInformation("The etcd watch stream is back on {Endpoint}.", session.Endpoint.Address);
                    RaiseRestored(new WatchStreamRestoredEventArgs(session.Endpoint.Address));
                }

                if (session.End is not null)
                {
                    break;
                }
            }

            StopLocked(session, WatchSessionEnd.Broken(new EtcdUnavailableException($"etcd at {session.Endpoint.Address} closed the watch stream.")));
        }
        catch (RpcException ex) when (RpcFailure.NeedsNewToken(ex))
        {
            _connection.Auth.Invalidate(session.AuthToken);
            StopLocked(session, WatchSessionEnd.NewToken(ex));
        }
        catch (RpcException ex) when (TransientFailures.IsPermanentStreamFailure(ex) && session.End is null)
        {
            FailAll(EtcdErrorTranslator.Translate(ex, Operation, session.Endpoint.Address, _connection.Auth.Username));
            StopLocked(session, WatchSessionEnd.Idle);
        }
        catch (Exception ex) when (TransientFailures.IsStreamBreak(ex))
        {
            StopLocked(session, WatchSessionEnd.Broken(ex));
        }
        finally
        {
            call.Dispose();
            await Task.WhenAll(sending, watchdog);
        }

        return session.End!;
    }

    /// <summary>Routes one response (under the lock): creates in order, then by watch id.</summary>
    private void Dispatch(WatchSession session, Wire.WatchResponse response)
    {
        if (response.Created)
        {
            if (!session.TryTakePending(out var pending))
            {
                _connection.Logger.LogDebug("etcd at {Endpoint} confirmed watch {WatchId} that no create asked for; ignoring it.", session.Endpoint.Address, response.WatchId);
                return;
            }

            var watcher = pending.Watcher;
            if (response.Canceled || response.WatchId < 0)
            {
                OnCreateRefused(session, watcher, response);
            }
            else if (watcher.Removed)
            {
                session.SendCancel(response.WatchId);
            }
            else
            {
                session.Register(response.WatchId, watcher);
                watcher.OnCreated(response);
            }

            return;
        }

        if (response.WatchId < 0)
        {
            // etcd's answer to a progress request is addressed to every watch of the stream.
            foreach (var watcher in session.Established)
            {
                watcher.OnProgress(response);
            }

            return;
        }

        if (!session.TryGet(response.WatchId, out var target))
        {
            return;
        }

        if (response.Canceled)
        {
            session.Forget(target);
            OnCanceled(session, target, response);
        }
        else
        {
            target.OnEvents(response);
        }
    }

    /// <summary>etcd answered a create with a refusal (created and canceled, watch id -1, or a compaction).</summary>
    private void OnCreateRefused(WatchSession session, WatchSubscription watcher, Wire.WatchResponse response)
    {
        if (watcher.Removed)
        {
            return;
        }

        var reason = response.CancelReason;
        if (IsPermissionDenied(reason) && _connection.Auth.Enabled && !watcher.RetriedWithFreshToken)
        {
            // etcd 3.4 reports an expired token on a watch create as "permission denied": try once with a fresh one.
            watcher.RetriedWithFreshToken = true;
            RenewToken(session, reason);
            return;
        }

        OnCanceled(session, watcher, response);
    }

    /// <summary>etcd canceled a watch: end it with a typed failure, or re-create it when the stream is to blame.</summary>
    private void OnCanceled(WatchSession session, WatchSubscription watcher, Wire.WatchResponse response)
    {
        var reason = response.CancelReason ?? string.Empty;
        var endpoint = session.Endpoint.Address;
        if (response.CompactRevision != 0)
        {
            Fail(session, watcher, new EtcdCompactedException(
                $"The etcd watch of {watcher.Description} on {endpoint} cannot go on: history before revision {response.CompactRevision} was compacted and the watch needed revision {watcher.LastRevision + 1}. Read the current state and watch again from its revision.",
                response.CompactRevision,
                Operation,
                endpoint,
                null));
        }
        else if (reason.Contains("no leader", StringComparison.Ordinal))
        {
            session.Stop(WatchSessionEnd.Broken(new EtcdUnavailableException($"etcd at {endpoint} canceled the watch of {watcher.Description}: {reason}")));
        }
        else if (RpcFailure.NeedsNewToken(reason))
        {
            RenewToken(session, reason);
        }
        else if (IsPermissionDenied(reason))
        {
            Fail(session, watcher, new EtcdPermissionDeniedException(
                $"etcd Watch on {endpoint} failed: user '{_connection.Auth.Username ?? "(none)"}' may not watch {watcher.Description} ({reason}).",
                Operation,
                endpoint,
                StatusCode.PermissionDenied,
                null));
        }
        else
        {
            var why = reason.Length == 0 ? "without a reason" : $"({reason})";
            Fail(session, watcher, new EtcdException(
                $"etcd at {endpoint} canceled the watch of {watcher.Description} {why}.",
                Operation,
                endpoint,
                StatusCode.Cancelled,
                null));
        }
    }

    private void RenewToken(WatchSession session, string reason)
    {
        _connection.Auth.Invalidate(session.AuthToken);
        session.Stop(WatchSessionEnd.NewToken(new EtcdInvalidAuthTokenException(reason)));
    }

    private void Fail(WatchSession session, WatchSubscription watcher, Exception failure)
    {
        _watchers.Remove(watcher);
        watcher.Complete(failure);
        if (_watchers.Count == 0)
        {
            session.Stop(WatchSessionEnd.Idle);
        }
    }

    private void FailAll(Exception failure)
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Complete(failure);
            }

            _watchers.Clear();
        }
    }

    private void StopLocked(WatchSession session, WatchSessionEnd end)
    {
        lock (_gate)
        {
            session.Stop(end);
        }
    }

    /// <summary>
    /// Ends the session when etcd leaves a create unanswered for longer than the request timeout: the member
    /// is frozen or cut off, even if its connection still looks alive.
    /// </summary>
    private async Task WatchCreatesAsync(WatchSession session)
    {
        var timeout = _connection.Options.RequestTimeout;
        var period = TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 4, 50, 1000));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(session.Token))
            {
                lock (_gate)
                {
                    if (session.TryPeekPending(out var pending) && Stopwatch.GetElapsedTime(pending.SentAt) > timeout)
                    {
                        session.Stop(WatchSessionEnd.Broken(new TimeoutException(
                            $"etcd at {session.Endpoint.Address} did not answer a watch create within {timeout.TotalSeconds:0.###} s (RequestTimeout).")));
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The session ended.
        }
    }

    /// <summary>The client's endpoints changed: a stream open on one that left reconnects to the new list.</summary>
    private void OnEndpointsRemoved(IReadOnlyList<EndpointChannel> removed)
    {
        lock (_gate)
        {
            if (_session is { } session && removed.Contains(session.Endpoint))
            {
                session.Stop(WatchSessionEnd.Broken(new EtcdUnavailableException(
                    $"etcd endpoint {session.Endpoint.Address} was removed from the client's endpoints ({_connection.EndpointList}).")));
            }
        }
    }

    private void RaiseBroken(WatchStreamBrokenEventArgs args)
    {
        try
        {
            StreamBroken?.Invoke(_eventSender, args);
        }
        catch (Exception ex)
        {
            _connection.Logger.LogError(ex, "An observer of the etcd watch stream threw; the stream goes on.");
        }
    }

    private void RaiseRestored(WatchStreamRestoredEventArgs args)
    {
        try
        {
            StreamRestored?.Invoke(_eventSender, args);
        }
        catch (Exception ex)
        {
            _connection.Logger.LogError(ex, "An observer of the etcd watch stream threw; the stream goes on.");
        }
    }

    private static bool IsPermissionDenied(string? reason) =>
        reason is not null && reason.Contains("permission denied", StringComparison.Ordinal);
}
