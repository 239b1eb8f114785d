using EtcdConfiguration.Client;

namespace EtcdConfiguration.Monitoring;

/// <summary>
/// Follows the health of the client's shared watch stream for one provider: a broken stream makes the provider
/// Reconnecting at once (the watch itself may only notice later), a restored one makes it live again, and the
/// stream's endpoint goes into <see cref="EtcdConfigurationProvider.Status"/>. Only a provider that watches has one.
/// </summary>
internal sealed class StreamHealthObserver : IDisposable
{
    private readonly WatchClient _watch;
    private readonly ProviderMonitor _monitor;

    /// <summary>Subscribes to the stream events of <paramref name="watch"/>.</summary>
    public StreamHealthObserver(WatchClient watch, ProviderMonitor monitor)
    {
        _watch = watch;
        _monitor = monitor;
        watch.StreamBroken += OnStreamBroken;
        watch.StreamRestored += OnStreamRestored;
    }

    /// <summary>The endpoint the watch stream is on now, or <see langword="null"/> when it is down.</summary>
    public string? Endpoint => _watch.StreamEndpoint;

    /// <summary>Unsubscribes.</summary>
    public void Dispose()
    {
        _watch.StreamBroken -= OnStreamBroken;
        _watch.StreamRestored -= OnStreamRestored;
    }

    private void OnStreamBroken(object? sender, WatchStreamBrokenEventArgs e)
    {
        // Only while this provider's own watch runs: a stream shared with other sources may break earlier.
        if (_monitor.Status.State is not (EtcdConfigurationState.Live or EtcdConfigurationState.Reconnecting))
        {
            return;
        }

        EtcdConfigurationMetrics.WatchReconnects.Add(1, _monitor.PrefixTag);
        _monitor.ConnectionLost($"The etcd watch stream on {e.Endpoint} broke: {e.Reason}");
    }

    private void OnStreamRestored(object? sender, WatchStreamRestoredEventArgs e)
    {
        _monitor.StreamRestored();
    }
}
