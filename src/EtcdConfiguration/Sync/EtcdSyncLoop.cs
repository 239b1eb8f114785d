using EtcdConfiguration.Client;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Sync;

/// <summary>
/// The provider's background work: load the snapshot if the first load failed, then watch the prefix from
/// the loaded revision + 1 and hand every batch of responses to its <see cref="ISyncTarget"/>. A compacted start
/// revision means re-reading the snapshot at once (the target applies the net difference, deletes included); any
/// other failure is retried after the client's <see cref="EtcdRetryPolicy"/> delay, resuming from the last applied
/// revision + 1.
/// </summary>
internal sealed class EtcdSyncLoop
{
    private readonly ISyncTarget _target;
    private readonly Func<EtcdClient> _client;
    private readonly ReadOnlyMemory<byte> _prefixBytes;
    private readonly string _prefix;
    private readonly bool _watch;
    private readonly ILogger _logger;
    private readonly EtcdRetryPolicy _retryPolicy;
    private bool _needsSnapshot;
    private int _consecutiveFailures;
    private Task? _running;

    /// <summary>Creates the loop; nothing runs until <see cref="Start"/>.</summary>
    /// <param name="target">Where snapshots and batches are applied and failures reported.</param>
    /// <param name="client">The client to watch with.</param>
    /// <param name="retryPolicy">How long to wait after a failure, on whose clock: the client's own <see cref="EtcdClient.RetryPolicy"/>.</param>
    /// <param name="prefixBytes">The prefix to watch, as etcd sees it.</param>
    /// <param name="prefix">The prefix, for messages.</param>
    /// <param name="watch">Whether to watch after the snapshot (reloadOnChange); without it, the loop only retries the load.</param>
    /// <param name="logger">The provider's logger.</param>
    /// <param name="needsSnapshot">Whether the first load failed, so the snapshot must be read first.</param>
    public EtcdSyncLoop(ISyncTarget target, Func<EtcdClient> client, EtcdRetryPolicy retryPolicy, ReadOnlyMemory<byte> prefixBytes, string prefix, bool watch, ILogger logger, bool needsSnapshot)
    {
        _target = target;
        _client = client;
        _prefixBytes = prefixBytes;
        _prefix = prefix;
        _watch = watch;
        _logger = logger;
        _needsSnapshot = needsSnapshot;
        // One decision on how long to wait: the client's own, on the client's clock.
        _retryPolicy = retryPolicy;
    }

    /// <summary>The background task; completed once the loop has ended (for tests).</summary>
    public Task Completion => _running ?? Task.CompletedTask;

    public void Start(CancellationToken stopping) =>
        _running = Task.Run(() => RunAsync(stopping), CancellationToken.None);

    /// <summary>How long <see cref="Stop"/> waits for the loop; host shutdown must not wait on etcd.</summary>
    public static readonly TimeSpan StopWait = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Waits at most <see cref="StopWait"/> for the loop to end after its token was cancelled. Every await in the
    /// loop honours that token, so it ends at once; if a call into the network does not, the loop finishes on its
    /// own in the background and shutdown does not wait for it.
    /// </summary>
    public void Stop()
    {
        // RunAsync never faults, so waiting cannot throw.
        if (_running is { } running && !running.Wait(StopWait))
        {
            _logger.LogDebug("The background work on '{Prefix}' is still ending; not waiting for it.", _prefix);
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (true)
        {
            TimeSpan delay;
            try
            {
                await SyncAsync(stopping);
                return;
            }
            catch (Exception ex) when (stopping.IsCancellationRequested)
            {
                // Disposed. A call that fails on its own clock (a dial timeout) may end after the stop was asked: the
                // provider is going away, so that failure is nobody's to handle.
                if (ex is not OperationCanceledException)
                {
                    _logger.LogDebug(ex, "The background work on '{Prefix}' failed while stopping.", _prefix);
                }

                return;
            }
            catch (Exception ex)
            {
                // Only the provider's own stop ends the loop; any other failure, a stray cancellation included, is
                // retried: a compaction at once (re-reading the snapshot), anything else after the policy's delay.
                delay = ex is EtcdCompactedException ? TimeSpan.Zero : _retryPolicy.GetDelay(_consecutiveFailures++);
                OnFailure(ex, delay);
            }

            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay, _retryPolicy.TimeProvider, stopping);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        if (_needsSnapshot)
        {
            await _target.LoadSnapshotAsync(cancellationToken);
            _needsSnapshot = false;
            _consecutiveFailures = 0;
        }

        if (!_watch)
        {
            return;
        }

        var options = new WatchOptions { Prefix = true, StartRevision = _target.Revision + 1 };

        // The watch gets its own token: an async iterator cannot be disposed while a MoveNextAsync is pending (it
        // throws NotSupportedException, which would hide why the loop left), so leaving early cancels it first.
        using var watchStopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var responses = _client().Watch.WatchAsync(_prefixBytes, options, watchStopping.Token)
            .GetAsyncEnumerator(watchStopping.Token);
        var batch = new List<WatchResponse>();

        // Tasks rather than ValueTasks: each step is checked for completion before it is consumed.
        var next = responses.MoveNextAsync().AsTask();
        try
        {
            while (await next)
            {
                // Take everything that has already arrived, then apply it as one batch and signal once.
                batch.Add(responses.Current);
                var ended = false;
                while (true)
                {
                    next = responses.MoveNextAsync().AsTask();
                    if (!next.IsCompleted)
                    {
                        break;
                    }

                    if (!await next)
                    {
                        ended = true;
                        break;
                    }

                    batch.Add(responses.Current);
                }

                _target.ApplyBatch(batch);
                batch.Clear();
                _consecutiveFailures = 0;
                if (ended)
                {
                    break;
                }
            }
        }
        finally
        {
            await EndWatchAsync(responses, next, watchStopping);
        }

        throw new EtcdUnavailableException($"The etcd watch on '{_prefix}' ended unexpectedly.");
    }

    private async Task EndWatchAsync(IAsyncEnumerator<WatchResponse> responses, Task<bool> next, CancellationTokenSource watchStopping)
    {
        if (!next.IsCompleted)
        {
            await watchStopping.CancelAsync();
            try
            {
                await next;
            }
            catch (Exception ex) when (ex is OperationCanceledException or EtcdException)
            {
                // The step was abandoned on purpose; the exception that ended the loop is the one that matters.
                _logger.LogDebug(ex, "The abandoned watch step on '{Prefix}' ended.", _prefix);
            }
        }

        await responses.DisposeAsync();
    }

    private void OnFailure(Exception failure, TimeSpan delay)
    {
        if (failure is EtcdCompactedException compacted)
        {
            _needsSnapshot = true;
            _logger.LogWarning(
                "etcd compacted the history of '{Prefix}' past revision {Revision} (compact revision {CompactRevision}); re-reading the prefix.",
                _prefix,
                _target.Revision,
                compacted.CompactRevision);
            return;
        }

        // The client's message names the call, the endpoint and the user; the app also needs to know which source
        // failed and on what, as it does for a failed first load.
        var reported = new EtcdException(
            $"Could not {(_needsSnapshot ? "load" : "watch")} configuration prefix '{_prefix}' from etcd: {failure.Message}",
            failure);
        _target.ReportFailure(reported, duringSnapshot: _needsSnapshot);

        // Debug: the provider's monitor logs the outage once as a Warning and then sums it up every minute.
        _logger.LogDebug(
            "Keeping the configuration of '{Prefix}' at revision {Revision}: {Reason} Retrying in {Delay} ms.",
            _prefix,
            _target.Revision,
            failure.Message,
            (int)delay.TotalMilliseconds);
    }
}
