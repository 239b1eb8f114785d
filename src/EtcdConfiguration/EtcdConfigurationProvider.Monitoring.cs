using System.Diagnostics;
using EtcdConfiguration.Client;
using EtcdConfiguration.Internal;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration;

// Health, metrics and the cache writer: the hooks the loading and watching code calls, kept apart from it.
public partial class EtcdConfigurationProvider
{
    private readonly ProviderStatus _status = new();
    private CacheWriter? _cacheWriter;
    private bool _observingStream;

    /// <summary>
    /// Where the data comes from (etcd, the cache file, nowhere yet), whether it follows etcd, and what went wrong
    /// last. A fresh copy on every call; <see cref="EtcdConfigurationHealthCheck"/> reports it.
    /// </summary>
    public EtcdConfigurationStatus Status => _status.ToPublic(_mapper.Prefix, Source.CacheFile, Source.ReloadOnChange ? _client?.Client.Watch.StreamEndpoint : null);

    private KeyValuePair<string, object?> PrefixTag => EtcdConfigurationMetrics.Prefix(_mapper.Prefix);

    private void InitializeMonitoring()
    {
        EtcdConfigurationMetrics.Track(_status, _mapper.Prefix);
        if (!string.IsNullOrWhiteSpace(Source.CacheFile))
        {
            _cacheWriter = new CacheWriter(Source.CacheFile, CaptureCache, Logger);
        }
    }

    /// <summary>A load failed; on the first one, the data may come from the cache file. Returns whether it does.</summary>
    private bool OnLoadFailed(EtcdException failure, bool first)
    {
        EtcdConfigurationMetrics.CountLoad(_mapper.Prefix, "failure");
        _status.Failed(failure.Message, connectionLost: false);
        return first && TryStartFromCache();
    }

    /// <summary>What the provider serves after a failed load, for the log.</summary>
    private string DescribeServedData() =>
        _status.State == EtcdConfigurationState.Stale ? $"the values cached in '{Source.CacheFile}'"
        : Revision == 0 ? "no values from etcd"
        : "the last values loaded";

    private void OnSyncLoopStarting()
    {
        if (!Source.ReloadOnChange)
        {
            return;
        }

        var watch = Client.Watch;
        watch.StreamBroken += OnStreamBroken;
        watch.StreamRestored += OnStreamRestored;
        _observingStream = true;
    }

    private void OnDisposing()
    {
        if (_observingStream && _client is { } handle)
        {
            handle.Client.Watch.StreamBroken -= OnStreamBroken;
            handle.Client.Watch.StreamRestored -= OnStreamRestored;
        }

        _cacheWriter?.Close(TimeSpan.FromSeconds(5));
        EtcdConfigurationMetrics.Untrack(_status);
    }

    private void OnSnapshotApplied(long revision, ApplyResult result, List<(string Key, FormatException Failure)> skipped, long started)
    {
        EtcdConfigurationMetrics.LoadDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, PrefixTag);
        EtcdConfigurationMetrics.CountLoad(_mapper.Prefix, "success");
        if (skipped.Count > 0)
        {
            EtcdConfigurationMetrics.SkippedKeys.Add(skipped.Count, PrefixTag);
        }

        var before = _status.Loaded(revision, _store.Count, result.Changed, skipped.Select(s => s.Key));

        // Publish signals a reload for every change; the first load's signal reaches nobody, so it is not counted.
        if (result.Changed && before != EtcdConfigurationState.Loading)
        {
            EtcdConfigurationMetrics.Reloads.Add(1, PrefixTag);
        }

        if (before is EtcdConfigurationState.Reconnecting or EtcdConfigurationState.Stale or EtcdConfigurationState.Failed)
        {
            Logger.LogInformation("The configuration of '{Prefix}' is live again at revision {Revision} (it was {State}).", _mapper.Prefix, revision, before);
        }

        _cacheWriter?.Schedule();
    }

    private void OnBatchApplied(
        IReadOnlyList<WatchResponse> responses,
        List<EtcdKeyChange> changes,
        ApplyResult result,
        List<(string Key, FormatException Failure)> skipped,
        List<(string Key, bool Skipped)> badNames)
    {
        var watchCreated = false;
        foreach (var response in responses)
        {
            watchCreated |= response.Created;
        }

        var before = _status.Applied(Revision, _store.Count, result.Changed, watchCreated, Outcomes(changes, badNames));
        if (watchCreated && before == EtcdConfigurationState.Reconnecting)
        {
            Logger.LogInformation("The etcd watch on '{Prefix}' works again; the configuration is live at revision {Revision}.", _mapper.Prefix, Revision);
        }

        if (skipped.Count > 0)
        {
            EtcdConfigurationMetrics.SkippedKeys.Add(skipped.Count, PrefixTag);
        }

        if (result.Changed)
        {
            EtcdConfigurationMetrics.Reloads.Add(1, PrefixTag);
            _cacheWriter?.Schedule();
        }

        if (Logger.IsEnabled(LogLevel.Debug))
        {
            Logger.LogDebug(
                "Applied a watch batch of {Responses} response(s) to '{Prefix}' up to revision {Revision}: {Changes} key change(s), {Skipped} skipped, data {Outcome}.",
                responses.Count,
                _mapper.Prefix,
                Revision,
                changes.Count,
                skipped.Count,
                result.Changed ? "changed" : "unchanged");
        }
    }

    /// <summary>The background load or watch failed and is retried (never called for a compaction).</summary>
    internal void OnSyncFailure(Exception failure, bool duringSnapshot)
    {
        EtcdConfigurationMetrics.WatchReconnects.Add(1, PrefixTag);
        if (duringSnapshot)
        {
            EtcdConfigurationMetrics.CountLoad(_mapper.Prefix, "failure");
        }

        LogIfReconnecting(_status.Failed(failure.Message, connectionLost: true));
    }

    private void OnStreamBroken(object? sender, WatchStreamBrokenEventArgs e)
    {
        // Only while this provider's own watch runs: a stream shared with other sources may break earlier.
        if (_status.State is not (EtcdConfigurationState.Live or EtcdConfigurationState.Reconnecting))
        {
            return;
        }

        EtcdConfigurationMetrics.WatchReconnects.Add(1, PrefixTag);
        LogIfReconnecting(_status.Failed($"The etcd watch stream on {e.Endpoint} broke: {e.Cause.Message}", connectionLost: true));
    }

    private void OnStreamRestored(object? sender, WatchStreamRestoredEventArgs e)
    {
        if (_status.StreamRestored() == EtcdConfigurationState.Reconnecting)
        {
            Logger.LogInformation("The etcd watch stream is back on {Endpoint}; the configuration of '{Prefix}' is live again.", e.Endpoint, _mapper.Prefix);
        }
    }

    private void LogIfReconnecting(EtcdConfigurationState before)
    {
        if (before == EtcdConfigurationState.Live)
        {
            Logger.LogWarning(
                "Lost the connection to etcd for '{Prefix}'; serving revision {Revision} until it is back.",
                _mapper.Prefix,
                Revision);
        }
    }

    // Each etcd key the batch touched, in event order, and whether it was skipped. A bad value is a Keep change;
    // a key whose name is not UTF-8 is never among the changes and comes in badNames, skipped when put and no
    // longer skipped when deleted.
    private static IEnumerable<(string Key, bool Skipped)> Outcomes(List<EtcdKeyChange> changes, List<(string Key, bool Skipped)> badNames)
    {
        foreach (var change in changes)
        {
            yield return (change.EtcdKey, change.KeepsCurrent);
        }

        foreach (var outcome in badNames)
        {
            yield return outcome;
        }
    }
}
