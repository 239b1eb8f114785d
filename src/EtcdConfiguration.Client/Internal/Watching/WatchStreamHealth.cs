using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Client.Internal.Watching;

/// <summary>
/// Whether the shared Watch stream is broken, and the events and log lines that say so: one Warning when it
/// breaks, Debug for every later attempt while it stays broken (a long outage does not flood the log), and one
/// Information line when a watch is created on a new stream.
/// </summary>
/// <param name="sender">The sender the events name: the public <see cref="WatchClient"/>.</param>
/// <param name="logger">The client's logger.</param>
internal sealed class WatchStreamHealth(object sender, ILogger logger)
{
    // Whether the last stream broke and no watch has been created on a new one since; only the loop writes it.
    private volatile bool _broken;

    /// <summary>
    /// Raised on the watch loop when the stream breaks, before the loop backs off and retries. Handlers must be
    /// quick; a handler that throws is logged and ignored.
    /// </summary>
    public event EventHandler<WatchStreamBrokenEventArgs>? StreamBroken;

    /// <summary>Raised on the watch loop when, after a break, etcd created a watch on a new stream.</summary>
    public event EventHandler<WatchStreamRestoredEventArgs>? StreamRestored;

    /// <summary>Whether the stream broke and no watch has been created on a new one since.</summary>
    public bool IsBroken => _broken;

    /// <summary>The stream broke; <paramref name="count"/> watches are re-created after the break's delay.</summary>
    public void Broke(WatchStreamBrokenEventArgs args, int count)
    {
        logger.Log(
            _broken ? LogLevel.Debug : LogLevel.Warning,
            "The etcd watch stream on {Endpoint} broke ({Reason}); re-creating {Count} watch(es) on {Next} in {Delay} ms (attempt {Attempt}).",
            args.Endpoint,
            FailureText.Describe(args.Cause),
            count,
            args.NextEndpoint,
            (int)args.RetryDelay.TotalMilliseconds,
            args.Attempt);
        _broken = true;
        Raise(StreamBroken, args);
    }

    /// <summary>A response arrived on <paramref name="session"/>: once etcd created a watch on it, a break is over.</summary>
    public void Answered(WatchSession session)
    {
        if (_broken && session.CreatedAny)
        {
            _broken = false;
            logger.LogInformation("The etcd watch stream is back on {Endpoint}.", session.Endpoint.Address);
            Raise(StreamRestored, new WatchStreamRestoredEventArgs(session.Endpoint.Address));
        }
    }

    private void Raise<TArgs>(EventHandler<TArgs>? handler, TArgs args)
    {
        try
        {
            handler?.Invoke(sender, args);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "An observer of the etcd watch stream threw; the stream goes on.");
        }
    }
}
