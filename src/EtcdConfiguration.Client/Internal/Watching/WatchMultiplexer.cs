using EtcdConfiguration.Client.Internal.Resilience;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Client.Internal.Watching;

/// <summary>
/// Carries every watch of one client over one gRPC Watch stream, as Go's <c>watchGrpcStream</c> does: it opens
/// the stream when the first watch starts and closes it when the last ends; when the stream breaks it fails over
/// to the next endpoint, backs off and re-creates every watch from the revision after the last one it delivered.
/// </summary>
/// <remarks>
/// The parts, in the order a response meets them: <see cref="WatchStreamRunner"/> (one stream, send and receive),
/// <see cref="WatchResponseRouter"/> (what a response means, for which watch), <see cref="WatchSubscription"/>
/// (one watch's buffer and the revision it resumes from). <see cref="WatchRegistry"/> holds the watches and the
/// open stream; <see cref="WatchStreamHealth"/> says whether the stream is broken. This class decides what
/// happens after a stream ends.
/// </remarks>
internal sealed class WatchMultiplexer
{
    private readonly EtcdConnection _connection;
    private readonly WatchRegistry _registry = new();
    private readonly WatchStreamHealth _health;
    private readonly WatchStreamRunner _streams;
    private readonly ReconnectLoop _loop;

    /// <param name="connection">The client's connection.</param>
    /// <param name="eventSender">The sender the stream events name: the public <see cref="WatchClient"/>.</param>
    public WatchMultiplexer(EtcdConnection connection, object eventSender)
    {
        _connection = connection;
        _health = new WatchStreamHealth(eventSender, connection.Logger);
        _streams = new WatchStreamRunner(connection, _registry, new WatchResponseRouter(connection, _registry), _health);
        _loop = new ReconnectLoop(_registry.Gate, "watch", connection.Policy, connection.Logger, () => _registry.Count, RunStreamAsync, _registry.FailAll);
        _connection.EndpointsChanged += removed => _registry.BreakIfOn(removed, _connection.EndpointList);
    }

    /// <summary>Whether the stream is broken, and the events that say when it breaks and is restored.</summary>
    public WatchStreamHealth Health => _health;

    /// <inheritdoc cref="WatchStreamRunner.StreamsOpened"/>
    public int StreamsOpened => _streams.StreamsOpened;

    /// <inheritdoc cref="WatchRegistry.StreamEndpoint"/>
    public string? StreamEndpoint => _registry.StreamEndpoint;

    /// <summary>Starts a watch: it is created on the open stream, or on the one about to open.</summary>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public WatchSubscription Add(Wire.WatchCreateRequest request)
    {
        var watcher = new WatchSubscription(request);
        lock (_registry.Gate)
        {
            _registry.Add(watcher);
            _loop.EnsureRunning();
        }

        return watcher;
    }

    /// <inheritdoc cref="WatchRegistry.Remove"/>
    public void Remove(WatchSubscription watcher) => _registry.Remove(watcher);

    /// <inheritdoc cref="WatchRegistry.RequestProgress"/>
    public bool RequestProgress() => _registry.RequestProgress();

    /// <summary>
    /// Ends every watch (their enumerations finish normally) and closes the stream; returns the loop, which stops
    /// soon after. Unless <paramref name="dispose"/>, later watches open a new stream.
    /// </summary>
    public Task CloseAsync(bool dispose)
    {
        List<WatchSubscription> watchers;
        Task loop;
        lock (_registry.Gate)
        {
            if (!_registry.TryClose(dispose, out watchers))
            {
                return _loop.Completion;
            }

            loop = _loop.Stop();
        }

        foreach (var watcher in watchers)
        {
            watcher.Complete(null);
        }

        return loop;
    }

    /// <summary>Runs one stream, then decides from how it ended how long to wait before the next.</summary>
    private async Task RunStreamAsync(int count, ReconnectBackoff backoff, CancellationToken closing)
    {
        var endpoint = _connection.Current;
        using var session = new WatchSession(endpoint, closing);
        var end = await _streams.RunAsync(session);
        _registry.Detach(session);
        if (session.CreatedAny)
        {
            backoff.Reset();
        }

        switch (end.Kind)
        {
            case WatchSessionEndKind.Idle:
                backoff.Reset();
                return;
            case WatchSessionEndKind.Closed:
                return;
            case WatchSessionEndKind.NewToken:
                _connection.Logger.LogInformation(
                    "etcd refused the authentication token of user '{User}' for a watch on {Endpoint} ({Reason}); authenticating again and re-creating {Count} watch(es).",
                    _connection.Auth.Username,
                    endpoint.Address,
                    FailureText.Describe(end.Cause!),
                    count);
                await backoff.WaitAsync(backoff.NextImmediateFirst(), closing);
                return;
            default:
                var next = _connection.ReportFailure(endpoint, end.Cause!);
                var delay = backoff.Next();
                _health.Broke(new WatchStreamBrokenEventArgs(endpoint.Address, end.Cause!, next.Address, delay, backoff.Attempt), count);
                await backoff.WaitAsync(delay, closing);
                return;
        }
    }
}
