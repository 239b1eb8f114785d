using System.Diagnostics;
using EtcdConfiguration.Applying;
using EtcdConfiguration.Caching;
using EtcdConfiguration.Client;
using EtcdConfiguration.Store;
using EtcdConfiguration.Validation;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Monitoring;

/// <summary>
/// One provider's health: its <see cref="ProviderStatus"/>, its metrics, and the log lines of its state changes
/// (lost, stale, live again; how loud an outage is, <see cref="OutageLog"/> decides). It records what happened; it
/// decides nothing about the data.
/// </summary>
internal sealed class ProviderMonitor : IDisposable
{
    // The changed keys one log line names; the count says how many more there were.
    private const int LoggedKeys = 50;

    private readonly string _prefix;
    private readonly ILogger _logger;
    private readonly Func<long> _revision;

    /// <summary>Starts reporting the provider of <paramref name="prefix"/> to the metrics.</summary>
    /// <param name="prefix">The normalised prefix.</param>
    /// <param name="logger">The provider's logger.</param>
    /// <param name="revision">The revision the provider's data reflects now.</param>
    /// <param name="clock">The client's clock, for how long an outage lasts.</param>
    public ProviderMonitor(string prefix, ILogger logger, Func<long> revision, Func<TimeProvider> clock)
    {
        _prefix = prefix;
        _logger = logger;
        _revision = revision;
        Outage = new OutageLog(prefix, logger, clock);
        EtcdConfigurationMetrics.Track(Status, prefix);
    }

    public ProviderStatus Status { get; } = new();

    /// <summary>The outage under way, if any, and its log lines.</summary>
    public OutageLog Outage { get; }

    public KeyValuePair<string, object?> PrefixTag => EtcdConfigurationMetrics.Prefix(_prefix);

    /// <summary>
    /// A load of the snapshot failed (the first or a later <see cref="EtcdConfigurationProvider.Load"/>); the
    /// provider logs it as a Warning itself, and the background retries that follow are part of the same outage.
    /// </summary>
    public void LoadFailed(EtcdException failure)
    {
        EtcdConfigurationMetrics.CountLoad(_prefix, "failure");
        Status.Failed(failure.Message, connectionLost: false);
        Outage.Failed(failure.Message, _revision(), alreadyWarned: true);
    }

    /// <summary>What the provider serves after a failed load, for the log.</summary>
    public string DescribeServedData(string? cacheFile) =>
        Status.State == EtcdConfigurationState.Stale ? $"the values cached in '{cacheFile}'"
        : _revision() == 0 ? "no values from etcd"
        : "the last values loaded";

    /// <summary>The data came from the cache file because etcd could not be reached at startup.</summary>
    public void CacheRestored(CacheDocument document, string path, int keyCount)
    {
        Status.Restored(document.Revision, document.WrittenAt, keyCount);
        EtcdConfigurationMetrics.CountLoad(_prefix, "cache");
        _logger.LogWarning(
            "Starting the configuration of '{Prefix}' from the cache file '{Path}' ({Count} configuration keys, revision {Revision}, written at {WrittenAt:O}); it is stale until etcd answers.",
            _prefix,
            path,
            document.Pairs.Length,
            document.Revision,
            document.WrittenAt);
    }

    public void SnapshotApplied(long revision, int keyCount, ApplyResult result, List<(string Key, FormatException Failure)> skipped, long started)
    {
        EtcdConfigurationMetrics.LoadDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, PrefixTag);
        EtcdConfigurationMetrics.CountLoad(_prefix, "success");
        if (skipped.Count > 0)
        {
            EtcdConfigurationMetrics.SkippedKeys.Add(skipped.Count, PrefixTag);
        }

        var before = Status.Loaded(revision, keyCount, result.Changed, skipped.Select(s => s.Key));

        // A reload is signalled for every change; the first load's signal reaches nobody, so it is not counted.
        if (result.Changed && before != EtcdConfigurationState.Loading)
        {
            EtcdConfigurationMetrics.Reloads.Add(1, PrefixTag);
        }

        if (before is EtcdConfigurationState.Reconnecting or EtcdConfigurationState.Stale or EtcdConfigurationState.Failed)
        {
            Outage.Recovered(revision);
        }
    }

    public void BatchApplied(IReadOnlyList<WatchResponse> responses, int keyCount, DecodedBatch batch, ApplyResult result)
    {
        var revision = _revision();
        var before = Status.Applied(revision, keyCount, result.Changed, batch.WatchCreated, batch.Outcomes());
        if (batch.WatchCreated && before == EtcdConfigurationState.Reconnecting)
        {
            Outage.Recovered(revision);
        }

        if (batch.Skipped.Count > 0)
        {
            EtcdConfigurationMetrics.SkippedKeys.Add(batch.Skipped.Count, PrefixTag);
        }

        if (result.Changed)
        {
            EtcdConfigurationMetrics.Reloads.Add(1, PrefixTag);
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _logger.LogDebug(
                "Applied a watch batch of {Responses} response(s) to '{Prefix}' up to revision {Revision}: {Changes} key change(s), {Skipped} skipped, data {Outcome}.",
                responses.Count,
                _prefix,
                revision,
                batch.Changes.Count,
                batch.Skipped.Count,
                result.Changed ? "changed" : "unchanged");
        }
    }

    /// <summary>
    /// The audit trail of a batch that changed the configuration: the revision and the changed keys, never a value
    /// (values may be secrets). A long list is cut short so a re-read of a large prefix stays one readable line.
    /// </summary>
    public void ConfigurationChanged(long revision, IReadOnlyList<EtcdConfigurationChange> changes)
    {
        if (changes.Count == 0 || !_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var keys = string.Join(", ", changes.Take(LoggedKeys).Select(change => change.Key))
            + (changes.Count > LoggedKeys ? $" and {changes.Count - LoggedKeys} more" : string.Empty);
        _logger.LogInformation(
            "The configuration of '{Prefix}' changed at revision {Revision}: {Count} key(s): {Keys}.",
            _prefix,
            revision,
            changes.Count,
            keys);
    }

    /// <summary>What the validation gate decided for a batch or a re-read: held back, cleared, or nothing new.</summary>
    public void GateDecided(GateVerdict verdict)
    {
        switch (verdict.Outcome)
        {
            case GateOutcome.Rejected:
                Status.Rejected(verdict.Revision, [.. verdict.Failures.Select(f => f.ToString())]);
                foreach (var failure in verdict.Failures)
                {
                    EtcdConfigurationMetrics.RejectedChanges.Add(1, PrefixTag, new KeyValuePair<string, object?>("options", failure.Options));
                    _logger.LogWarning(
                        "Held back the change of '{Prefix}' at revision {Revision}: the options {Options} would not validate, so the keys under {Sections} keep their last valid values. {Messages}",
                        _prefix,
                        verdict.Revision,
                        failure.Options,
                        string.Join(", ", failure.Sections.Select(s => $"'{s}'")),
                        string.Join(" ", failure.Messages));
                }

                break;
            case GateOutcome.Cleared:
                Status.RejectionCleared();
                _logger.LogInformation(
                    "The configuration of '{Prefix}' validates again at revision {Revision}; the changes held back are applied.",
                    _prefix,
                    verdict.Revision);
                break;
        }
    }

    public void BatchDone(long started) =>
        EtcdConfigurationMetrics.ApplyDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, PrefixTag);

    /// <summary>The background load or watch failed and is retried (never called for a compaction).</summary>
    public void SyncFailed(Exception failure, bool duringSnapshot)
    {
        EtcdConfigurationMetrics.WatchReconnects.Add(1, PrefixTag);
        if (duringSnapshot)
        {
            EtcdConfigurationMetrics.CountLoad(_prefix, "failure");
        }

        ConnectionLost(failure.Message);
    }

    /// <summary>
    /// The connection or the watch failed: Reconnecting if the provider was live, and one more failed attempt of
    /// the outage (a Warning for the first, Debug for the rest).
    /// </summary>
    public void ConnectionLost(string reason)
    {
        Status.Failed(reason, connectionLost: true);
        Outage.Failed(reason, _revision());
    }

    /// <summary>The client's watch stream works again: live, and the outage ends (one Information line).</summary>
    public void StreamRestored()
    {
        if (Status.StreamRestored() == EtcdConfigurationState.Reconnecting)
        {
            Outage.Recovered(_revision());
        }
    }

    /// <summary>Stops reporting to the metrics.</summary>
    public void Dispose() => EtcdConfigurationMetrics.Untrack(Status);
}
