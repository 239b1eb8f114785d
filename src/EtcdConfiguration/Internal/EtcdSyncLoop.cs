using EtcdConfiguration.Client;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace EtcdConfiguration.Internal;

/// <summary>
/// The provider's background work: load the snapshot if the first load failed, then watch the prefix from
/// the loaded revision + 1 and hand every batch of responses to the provider. A compacted start revision
/// means re-reading the snapshot at once (the provider applies the net difference, deletes included); any other
/// failure is retried after the client's <see cref="EtcdRetryPolicy"/> delay, resuming from the last applied
/// revision + 1.
/// </summary>
internal sealed class EtcdSyncLoop
{
    private readonly EtcdConfigurationProvider _provider;
    private readonly ResiliencePipeline _retry;
    private bool _needsSnapshot;
    private int _consecutiveFailures;
    private Task? _running;

    public EtcdSyncLoop(EtcdConfigurationProvider provider, bool needsSnapshot)
    {
        _provider = provider;
        _needsSnapshot = needsSnapshot;
        // One decision on how long to wait: the client's own, on the client's clock.
        var policy = provider.Client.RetryPolicy;
        _retry = new ResiliencePipelineBuilder { TimeProvider = policy.TimeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                // Only the provider's own stop ends the loop; any other failure, a stray cancellation included, is retried.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null && !args.Context.CancellationToken.IsCancellationRequested),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    args.Outcome.Exception is EtcdCompactedException ? TimeSpan.Zero : policy.GetDelay(_consecutiveFailures++)),
                OnRetry = args =>
                {
                    OnFailure(args.Outcome.Exception!, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>The background task; completed once the loop has ended (for tests).</summary>
    public Task Completion => _running ?? Task.CompletedTask;

    public void Start(CancellationToken stopping) =>
        _running = Task.Run(() => RunAsync(stopping), CancellationToken.None);

    /// <summary>Waits (briefly) for the loop to end after its token was cancelled.</summary>
    public void Stop()
    {
        try
        {
            _running?.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OperationCanceledException))
        {
            // The loop ended through its cancellation token, as asked.
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await _retry.ExecuteAsync(SyncAsync, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    private async ValueTask SyncAsync(CancellationToken cancellationToken)
    {
        if (_needsSnapshot)
        {
            await _provider.LoadSnapshotAsync(cancellationToken);
            _needsSnapshot = false;
            _consecutiveFailures = 0;
        }

        if (!_provider.Source.ReloadOnChange)
        {
            return;
        }

        var options = new WatchOptions { Prefix = true, StartRevision = _provider.Revision + 1 };

        // The watch gets its own token: an async iterator cannot be disposed while a MoveNextAsync is pending (it
        // throws NotSupportedException, which would hide why the loop left), so leaving early cancels it first.
        using var watchStopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var responses = _provider.Client.Watch.WatchAsync(_provider.Mapper.PrefixBytes, options, watchStopping.Token)
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

                _provider.ApplyWatchBatch(batch);
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

        throw new EtcdUnavailableException($"The etcd watch on '{_provider.Mapper.Prefix}' ended unexpectedly.");
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
                _provider.Logger.LogDebug(ex, "The abandoned watch step on '{Prefix}' ended.", _provider.Mapper.Prefix);
            }
        }

        await responses.DisposeAsync();
    }

    private void OnFailure(Exception failure, TimeSpan delay)
    {
        if (failure is EtcdCompactedException compacted)
        {
            _needsSnapshot = true;
            _provider.Logger.LogWarning(
                "etcd compacted the history of '{Prefix}' past revision {Revision} (compact revision {CompactRevision}); re-reading the prefix.",
                _provider.Mapper.Prefix,
                _provider.Revision,
                compacted.CompactRevision);
            return;
        }

        // The client's message names the call, the endpoint and the user; the app also needs to know which source
        // failed and on what, as it does for a failed first load.
        var reported = new EtcdException(
            $"Could not {(_needsSnapshot ? "load" : "watch")} configuration prefix '{_provider.Mapper.Prefix}' from etcd: {failure.Message}",
            failure);
        _provider.ReportFailure(reported, key: null);
        _provider.OnSyncFailure(reported, duringSnapshot: _needsSnapshot);
        _provider.Logger.LogWarning(
            "Keeping the configuration of '{Prefix}' at revision {Revision}: {Reason} Retrying in {Delay} ms.",
            _provider.Mapper.Prefix,
            _provider.Revision,
            failure.Message,
            (int)delay.TotalMilliseconds);
    }
}
