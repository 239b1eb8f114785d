using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Caching;

/// <summary>
/// Writes a provider's data to its cache file off the reload path: <see cref="Schedule"/> only marks the cache
/// out of date, and one background task writes the latest state, again and again while more changes arrive.
/// Never more than one write is in flight, a burst of changes costs one or two writes, and readers are never
/// blocked (the state is copied with <paramref name="capture"/>, which takes the store's read lock only).
/// </summary>
/// <param name="path">The cache file.</param>
/// <param name="capture">Copies the provider's current data; called on the writer's task.</param>
/// <param name="logger">Where failures go; the file's path may be logged, its content never.</param>
internal sealed class CacheWriter(string path, Func<CacheDocument> capture, ILogger logger)
{
    private readonly Lock _gate = new();
    private bool _pending;
    private bool _running;
    private bool _closed;
    private Task _drain = Task.CompletedTask;

    /// <summary>Marks the cache out of date; a write of the then-current state follows soon.</summary>
    public void Schedule()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _pending = true;
            if (!_running)
            {
                _running = true;
                _drain = Task.Run(Drain);
            }
        }
    }

    /// <summary>Accepts no more writes and waits (at most <paramref name="timeout"/>) for the last one to finish.</summary>
    public void Close(TimeSpan timeout)
    {
        Task drain;
        lock (_gate)
        {
            _closed = true;
            drain = _drain;
        }

        if (!drain.Wait(timeout))
        {
            logger.LogWarning("The configuration cache file '{Path}' was still being written after {Timeout} s; no longer waiting for it.", path, timeout.TotalSeconds);
        }
    }

    private void Drain()
    {
        while (true)
        {
            lock (_gate)
            {
                if (!_pending)
                {
                    _running = false;
                    return;
                }

                _pending = false;
            }

            try
            {
                var document = capture();
                CacheFile.Write(path, document);
                logger.LogDebug("Wrote the configuration cache file '{Path}' ({Count} configuration keys, revision {Revision}).", path, document.Pairs.Length, document.Revision);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                logger.LogWarning("Could not write the configuration cache file '{Path}': {Reason}", path, ex.Message);
            }
            catch (ObjectDisposedException)
            {
                logger.LogDebug("The configuration cache file '{Path}' was not written: its provider was disposed first.", path);
            }
        }
    }
}
