using System.Diagnostics;
using EtcdConfiguration.Caching;
using EtcdConfiguration.Client;
using EtcdConfiguration.Mapping;
using EtcdConfiguration.Monitoring;
using EtcdConfiguration.Store;
using EtcdConfiguration.Sync;
using EtcdConfiguration.Validation;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Applying;

/// <summary>
/// The one way data from etcd reaches readers, in this order: decode and map what etcd sent, swap it into the
/// store with the revision (the only step under the apply lock), record status and metrics, save the cache, report
/// conflicts and skipped keys, then signal one reload.
/// </summary>
/// <remarks>
/// Status and metrics come before the reload: an app's change handler, or anyone told of a skipped key, sees
/// them current. Reads never see half a batch: the store makes a batch visible all at once.
/// </remarks>
internal sealed class BatchApplier : ISyncTarget
{
    private readonly KeyMapper _mapper;
    private readonly BatchDecoder _decoder;
    private readonly ConfigurationStore _store;
    private readonly ProviderMonitor _monitor;
    private readonly FailureReporter _reporter;
    private readonly Func<EtcdClient> _client;
    private readonly Action<long, ApplyResult> _reload;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private long _revision;
    private ChangeGate? _changeGate;

    /// <summary>Creates the applier; <see cref="Cache"/> is set once, before the first load.</summary>
    /// <param name="mapper">The prefix and its key mapping.</param>
    /// <param name="decoder">Turns etcd's key-values into store changes.</param>
    /// <param name="store">The data readers see.</param>
    /// <param name="monitor">Status and metrics.</param>
    /// <param name="reporter">Where skipped keys go.</param>
    /// <param name="client">The client to read the snapshot with.</param>
    /// <param name="reload">
    /// Signals the provider's reload and its <see cref="EtcdConfigurationProvider.Changed"/> event, with the revision
    /// reached and what changed; called once per batch that changed the data.
    /// </param>
    /// <param name="logger">The provider's logger.</param>
    public BatchApplier(
        KeyMapper mapper,
        BatchDecoder decoder,
        ConfigurationStore store,
        ProviderMonitor monitor,
        FailureReporter reporter,
        Func<EtcdClient> client,
        Action<long, ApplyResult> reload,
        ILogger logger)
    {
        _mapper = mapper;
        _decoder = decoder;
        _store = store;
        _monitor = monitor;
        _reporter = reporter;
        _client = client;
        _reload = reload;
        _logger = logger;
    }

    /// <inheritdoc/>
    public long Revision => Interlocked.Read(ref _revision);

    /// <summary>The last-known-good cache, saved after each change; none without a cache file.</summary>
    public LastKnownGoodCache? Cache { get; init; }

    /// <summary>Reads a consistent snapshot of the prefix and makes the data equal to it, signalling a reload if it changed.</summary>
    public async Task LoadSnapshotAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var entries = new List<EtcdKeyChange>();
        var skipped = new List<(string Key, FormatException Failure)>();
        var reader = new PrefixSnapshotReader(_client(), _mapper.PrefixBytes, _mapper.RangeEnd);
        var revision = await reader.ReadAsync(
            page =>
            {
                if (entries.Capacity == 0)
                {
                    // The first page tells how many keys the snapshot holds: no regrowing of the list afterwards.
                    entries.Capacity = (int)Math.Min(reader.TotalKeys, Array.MaxLength);
                }

                _decoder.DecodeSnapshotPage(page, entries, skipped);
            },
            cancellationToken);

        ApplyResult result;
        var verdict = GateVerdict.None;
        lock (_gate)
        {
            if (revision <= _revision)
            {
                return;
            }

            if (_changeGate is { } changeGate)
            {
                IReadOnlyList<EtcdKeyChange> admitted;
                (admitted, verdict) = changeGate.Admit(_store.Difference(entries), revision, replacesAll: true);
                result = _store.Apply(admitted);
            }
            else
            {
                result = _store.ReplaceAll(entries);
            }

            Interlocked.Exchange(ref _revision, revision);
        }

        _logger.LogInformation("Loaded {EtcdKeys} etcd keys under '{Prefix}' at revision {Revision}: {ConfigurationKeys} configuration keys.", entries.Count, _mapper.Prefix, revision, _store.Count);
        _monitor.SnapshotApplied(revision, _store.Count, result, skipped, started);
        _monitor.GateDecided(verdict);
        Cache?.Schedule();
        Publish(result, skipped, revision);
    }

    /// <summary>
    /// Applies every watch response received so far as one batch: events at or below the current revision
    /// (already in a snapshot) are dropped, bad values are skipped with a report, and one reload is signalled
    /// if the data changed.
    /// </summary>
    public void ApplyBatch(IReadOnlyList<WatchResponse> responses) => ApplyBatch(responses, decoded: null);

    /// <summary>
    /// Applies a batch as <see cref="ApplyBatch(IReadOnlyList{WatchResponse})"/> does, taking
    /// <paramref name="decoded"/> (the same responses decoded once for every provider of a shared watch) when none
    /// of its events is already in the data; otherwise this provider decodes the responses itself.
    /// </summary>
    public void ApplyBatch(IReadOnlyList<WatchResponse> responses, SharedDecode? decoded)
    {
        var started = Stopwatch.GetTimestamp();
        DecodedBatch batch;
        ApplyResult result;
        var verdict = GateVerdict.None;
        lock (_gate)
        {
            batch = decoded is not null && decoded.OldestEvent > _revision
                ? decoded.Batch
                : _decoder.DecodeWatchBatch(responses, _revision);
            IReadOnlyList<EtcdKeyChange> changes = batch.Changes;

            // The validation gate, only when the app asked for one: what it holds back waits in it, unapplied.
            if (_changeGate is { } changeGate && changes.Count > 0)
            {
                (changes, verdict) = changeGate.Admit(changes, batch.Reached, replacesAll: false);
            }

            result = changes.Count == 0 ? ApplyResult.Unchanged : _store.Apply(changes);
            Interlocked.Exchange(ref _revision, batch.Reached);
        }

        _monitor.BatchApplied(responses, _store.Count, batch, result);
        _monitor.GateDecided(verdict);
        if (result.Changed)
        {
            Cache?.Schedule();
        }

        Publish(result, batch.Skipped, batch.Reached);
        _monitor.BatchDone(started);
    }

    /// <summary>Serves the cached data, when etcd could not be reached at startup; it is stale until etcd answers.</summary>
    public void ApplyCache(CacheDocument document, string path)
    {
        lock (_gate)
        {
            if (document.Pairs.Length > 0)
            {
                _store.ReplaceAll([new EtcdKeyChange(LastKnownGoodCache.CachedDataKey, 0, document.Pairs)]);
            }
        }

        _monitor.CacheRestored(document, path, _store.Count);
    }

    /// <summary>
    /// Validates every later change for the gated options types before it is applied (see <see cref="ChangeGate"/>);
    /// <paramref name="create"/> runs under the apply lock, so it learns from data no batch is changing.
    /// </summary>
    public ChangeGate AttachGate(Func<ChangeGate> create)
    {
        lock (_gate)
        {
            return _changeGate = create();
        }
    }

    /// <summary>Stops validating with <paramref name="gate"/>, if it is still the one attached.</summary>
    public void DetachGate(ChangeGate gate)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_changeGate, gate))
            {
                _changeGate = null;
            }
        }
    }

    /// <inheritdoc/>
    public void ReportFailure(EtcdException failure, bool duringSnapshot)
    {
        _reporter.Report(failure, key: null);
        _monitor.SyncFailed(failure, duringSnapshot);
    }

    private void Publish(ApplyResult result, List<(string Key, FormatException Failure)> skipped, long revision)
    {
        foreach (var conflict in result.Conflicts)
        {
            _logger.LogWarning("{Conflict}", conflict.Message);
        }

        foreach (var (key, failure) in skipped)
        {
            _reporter.Report(failure, key);
        }

        if (result.Changed)
        {
            _reload(revision, result);
        }
    }
}
