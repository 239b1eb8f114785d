namespace EtcdConfiguration.Client.Internal.Watching;

/// <summary>
/// The watches of one client and the stream that carries them now. Every member takes <see cref="Gate"/> (it is
/// reentrant), the one lock of the watch state: the router and the reconnect loop hold it across several calls.
/// </summary>
internal sealed class WatchRegistry
{
    private readonly List<WatchSubscription> _watchers = [];
    private WatchSession? _session;
    private bool _closed;

    public Lock Gate { get; } = new();

    /// <summary>How many watches are live; 0 once closed.</summary>
    public int Count
    {
        get
        {
            lock (Gate)
            {
                return _closed ? 0 : _watchers.Count;
            }
        }
    }

    /// <summary>The endpoint of the open stream; <see langword="null"/> while none is open.</summary>
    public string? StreamEndpoint
    {
        get
        {
            lock (Gate)
            {
                return _session?.Endpoint.Address;
            }
        }
    }

    /// <summary>Adds a watch: it is created on the open stream, or on the next one.</summary>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public void Add(WatchSubscription watcher)
    {
        lock (Gate)
        {
            ObjectDisposedException.ThrowIf(_closed, typeof(EtcdClient));
            _watchers.Add(watcher);
            _session?.QueueCreate(watcher);
        }
    }

    /// <summary>Ends a watch whose reader left: etcd is asked to cancel it, and the stream closes if it was the last.</summary>
    public void Remove(WatchSubscription watcher)
    {
        lock (Gate)
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

    /// <summary>
    /// Takes every watch out and closes the stream; false when already disposed. Unless <paramref name="dispose"/>,
    /// later watches are accepted again.
    /// </summary>
    public bool TryClose(bool dispose, out List<WatchSubscription> watchers)
    {
        lock (Gate)
        {
            watchers = [];
            if (_closed)
            {
                return false;
            }

            _closed = dispose;
            watchers.AddRange(_watchers);
            _watchers.Clear();
            _session?.Stop(WatchSessionEnd.Closed);
            _session = null;
            return true;
        }
    }

    /// <summary>
    /// Makes <paramref name="session"/> the open stream and queues a create for every watch; false (and the session
    /// stopped) when no watch is left or the client is closing.
    /// </summary>
    public bool TryAttach(WatchSession session)
    {
        lock (Gate)
        {
            if (_closed || _watchers.Count == 0 || session.Token.IsCancellationRequested)
            {
                session.Stop(_closed || session.Token.IsCancellationRequested ? WatchSessionEnd.Closed : WatchSessionEnd.Idle);
                return false;
            }

            _session = session;
            foreach (var watcher in _watchers)
            {
                session.QueueCreate(watcher);
            }

            return true;
        }
    }

    /// <summary><paramref name="session"/> ended: it is no longer the open stream.</summary>
    public void Detach(WatchSession session)
    {
        lock (Gate)
        {
            if (_session == session)
            {
                _session = null;
            }
        }
    }

    /// <summary>Ends <paramref name="session"/> for <paramref name="end"/> (the first reason wins).</summary>
    public void Stop(WatchSession session, WatchSessionEnd end)
    {
        lock (Gate)
        {
            session.Stop(end);
        }
    }

    /// <summary>Ends the open stream if it is on one of the <paramref name="removed"/> endpoints, so it reconnects.</summary>
    public void BreakIfOn(IReadOnlyList<EndpointChannel> removed, string endpointList)
    {
        lock (Gate)
        {
            if (_session is { } session && removed.Contains(session.Endpoint))
            {
                session.Stop(WatchSessionEnd.Broken(new EtcdUnavailableException(
                    $"etcd endpoint {session.Endpoint.Address} was removed from the client's endpoints ({endpointList}).")));
            }
        }
    }

    /// <summary>Asks etcd for a progress notification on every watch; false when no stream is open.</summary>
    public bool RequestProgress()
    {
        lock (Gate)
        {
            return _session?.SendProgressRequest() ?? false;
        }
    }

    /// <summary>Ends one watch with <paramref name="failure"/>; the stream goes idle if it was the last.</summary>
    public void Fail(WatchSession session, WatchSubscription watcher, Exception failure)
    {
        lock (Gate)
        {
            _watchers.Remove(watcher);
            watcher.Complete(failure);
            if (_watchers.Count == 0)
            {
                session.Stop(WatchSessionEnd.Idle);
            }
        }
    }

    /// <summary>Ends every watch with <paramref name="failure"/>.</summary>
    public void FailAll(Exception failure)
    {
        lock (Gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Complete(failure);
            }

            _watchers.Clear();
        }
    }
}
