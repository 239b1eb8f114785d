using System.Diagnostics;
using EtcdConfiguration.Client;
using EtcdConfiguration.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EtcdConfiguration;

/// <summary>
/// Configuration from the keys under one etcd prefix: loaded as one consistent snapshot, then kept current
/// by a watch that applies each change incrementally and signals one reload per applied batch.
/// </summary>
/// <remarks>
/// Reads never see half a transaction: every event of one etcd revision becomes visible together. Bad values
/// are skipped with a report and never blank other keys; the key keeps its last good value.
/// </remarks>
public partial class EtcdConfigurationProvider : ConfigurationProvider, IDisposable
{
    private readonly KeyMapper _mapper;
    private readonly KeyValueDecoder _decoder;
    private readonly ConfigurationStore _store;
    private readonly Lock _applyGate = new();
    private readonly CancellationTokenSource _stopping = new();
    private EtcdClientPool.Handle? _client;
    private EtcdSyncLoop? _syncLoop;
    private long _revision;
    private int _loadStarted;
    private int _disposed;

    /// <summary>Creates a provider for <paramref name="source"/>. Nothing is read until <see cref="Load"/>.</summary>
    /// <param name="source">The source's settings.</param>
    /// <exception cref="ArgumentException">The prefix or the endpoints are missing.</exception>
    public EtcdConfigurationProvider(EtcdConfigurationSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (string.IsNullOrEmpty(source.Prefix))
        {
            throw new ArgumentException("An etcd configuration source needs a Prefix, such as \"/myapp/\".", nameof(source));
        }

        if (source.Endpoints is null || source.Endpoints.Count == 0)
        {
            throw new ArgumentException("An etcd configuration source needs at least one endpoint.", nameof(source));
        }

        Source = source;
        _mapper = new KeyMapper(source.Prefix);
        _decoder = new KeyValueDecoder(_mapper, source.ValueFormat);
        _store = new ConfigurationStore(_mapper.Prefix);
        Logger = source.LoggerFactory?.CreateLogger<EtcdConfigurationProvider>() ?? (ILogger)NullLogger.Instance;
        InitializeMonitoring();
    }

    /// <summary>
    /// The name of the <see cref="System.Diagnostics.Metrics.Meter"/> the provider reports to, for
    /// <c>AddMeter</c> in OpenTelemetry or a <see cref="System.Diagnostics.Metrics.MeterListener"/>.
    /// </summary>
    public const string MeterName = "EtcdConfiguration";

    /// <summary>The source this provider was built from.</summary>
    public EtcdConfigurationSource Source { get; }

    /// <summary>The etcd revision the current data reflects; 0 until the first successful load.</summary>
    public long Revision => Interlocked.Read(ref _revision);

    internal ILogger Logger { get; }

    internal KeyMapper Mapper => _mapper;

    /// <summary>The background load-and-watch work; completed when there is none or it has ended.</summary>
    internal Task BackgroundWork => _syncLoop?.Completion ?? Task.CompletedTask;

    internal EtcdClient Client => (_client ??= EtcdClientPool.Acquire(Source)).Client;

    /// <summary>
    /// Loads the prefix: on the first call, one consistent snapshot (bounded by
    /// <see cref="EtcdConfigurationSource.StartupTimeout"/>), then the watch starts in the background; later
    /// calls re-read the snapshot and apply the difference.
    /// </summary>
    /// <exception cref="EtcdException">
    /// A required source could not be loaded within the startup timeout; the message names the prefix, the
    /// endpoints and the cause.
    /// </exception>
    public override void Load()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);

        // Not "no sync loop yet": without reloadOnChange there never is one, and a later Reload() must not be
        // taken for the startup load, which alone may throw.
        var first = Interlocked.Exchange(ref _loadStarted, 1) == 0;
        var loaded = false;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(Source.StartupTimeout);
            Task.Run(() => LoadSnapshotAsync(timeout.Token), timeout.Token).GetAwaiter().GetResult();
            loaded = true;
        }
        catch (Exception ex) when (ex is EtcdException or OperationCanceledException && _disposed == 0)
        {
            var failure = new EtcdException(
                $"Could not load configuration prefix '{_mapper.Prefix}' from etcd at {string.Join(", ", Source.Endpoints)}"
                + (ex is not OperationCanceledException ? $": {ex.Message}"
                    : $" within the startup timeout of {Source.StartupTimeout.TotalSeconds:0.###} s"
                        + (ex.InnerException is EtcdException cause ? $"; last error: {cause.Message}" : ".")),
                ex);
            var context = ReportFailure(failure, key: null);
            var fromCache = OnLoadFailed(failure, first);
            if (first && !Source.Optional && !context.Ignore && !fromCache)
            {
                // No configuration root will hold (and dispose) a provider whose first load threw: let go of the
                // pooled client now.
                Dispose();
                throw failure;
            }

            Logger.LogWarning(
                "{Message} Starting with {State}; retrying in the background.",
                failure.Message,
                DescribeServedData());
        }

        if (first && (Source.ReloadOnChange || !loaded))
        {
            _syncLoop = new EtcdSyncLoop(this, needsSnapshot: !loaded);
            OnSyncLoopStarting();
            _syncLoop.Start(_stopping.Token);
        }
    }

    /// <inheritdoc/>
    public override bool TryGet(string key, out string? value)
    {
        if (Data.Count > 0 && Data.TryGetValue(key, out value))
        {
            return true;
        }

        return _store.TryGet(key, out value);
    }

    /// <summary>
    /// Sets a value in memory only, until the next change from etcd reloads this provider (as the file
    /// providers' values last until their file changes).
    /// </summary>
    /// <param name="key">The configuration key.</param>
    /// <param name="value">The value.</param>
    public override void Set(string key, string? value) => base.Set(key, value);

    /// <inheritdoc/>
    public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath) =>
        _store.GetChildKeys(Data.Count > 0 ? base.GetChildKeys(earlierKeys, parentPath) : earlierKeys, parentPath);

    /// <summary>
    /// Stops the watch and releases the connection. No background work survives it; the last values stay readable.
    /// </summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{GetType().Name} for '{_mapper.Prefix}' at {string.Join(", ", Source.Endpoints)} ({(Source.Optional ? "Optional" : "Required")})";

    /// <summary>Stops the watch and releases the connection.</summary>
    /// <param name="disposing">Whether this is a call to <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing || Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _syncLoop?.Stop();
        OnDisposing();
        _client?.Dispose();
        _stopping.Dispose();

        // The store is left undisposed on purpose: the host disposes the configuration at shutdown while other
        // code may still read it, and reads must keep returning the last values, as with every other provider.
    }

    /// <summary>Reads a consistent snapshot of the prefix and makes the data equal to it, signalling a reload if it changed.</summary>
    internal async Task LoadSnapshotAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var entries = new List<EtcdKeyChange>();
        var skipped = new List<(string Key, FormatException Failure)>();
        var reader = new PrefixSnapshotReader(Client, _mapper.PrefixBytes, _mapper.RangeEnd);
        var revision = await reader.ReadAsync(
            page =>
            {
                foreach (var kv in page)
                {
                    if (_decoder.TryDecode(kv, out var change, out var failure))
                    {
                        entries.Add(change);
                    }
                    else if (failure is not null)
                    {
                        if (change.KeepsCurrent)
                        {
                            // A key whose value does not decode keeps its last good contribution.
                            entries.Add(change);
                        }

                        skipped.Add((KeyValueDecoder.KeyText(kv), failure));
                    }
                }
            },
            cancellationToken);

        ApplyResult result;
        lock (_applyGate)
        {
            if (revision <= _revision)
            {
                return;
            }

            result = _store.ReplaceAll(entries);
            Interlocked.Exchange(ref _revision, revision);
        }

        Logger.LogInformation("Loaded {Count} etcd keys under '{Prefix}' at revision {Revision}.", entries.Count, _mapper.Prefix, revision);
        OnSnapshotApplied(revision, result, skipped, started);
        Publish(result, skipped);
    }

    /// <summary>
    /// Applies every watch response received so far as one batch: events at or below the current revision
    /// (already in a snapshot) are dropped, bad values are skipped with a report, and one reload is signalled
    /// if the data changed.
    /// </summary>
    internal void ApplyWatchBatch(IReadOnlyList<WatchResponse> responses)
    {
        var started = Stopwatch.GetTimestamp();
        var changes = new List<EtcdKeyChange>();
        var skipped = new List<(string Key, FormatException Failure)>();
        var badNames = new List<(string Key, bool Skipped)>();
        ApplyResult result;
        lock (_applyGate)
        {
            var current = _revision;
            var reached = current;
            foreach (var response in responses)
            {
                foreach (var watchEvent in response.Events)
                {
                    var kv = watchEvent.Kv;
                    if (kv.ModRevision <= current)
                    {
                        continue;
                    }

                    reached = Math.Max(reached, kv.ModRevision);
                    if (watchEvent.Type == WatchEventType.Delete)
                    {
                        if (_decoder.TryDelete(kv, out var deletion, out var badName))
                        {
                            changes.Add(deletion);
                        }
                        else if (badName)
                        {
                            // A key skipped for its name has no contribution to remove, but is no longer skipped.
                            badNames.Add((KeyValueDecoder.KeyText(kv), false));
                        }
                    }
                    else if (_decoder.TryDecode(kv, out var change, out var failure))
                    {
                        changes.Add(change);
                    }
                    else if (failure is not null)
                    {
                        // Skipped: the key keeps its last good contribution (a Keep changes nothing; health reads it).
                        if (change.KeepsCurrent)
                        {
                            changes.Add(change);
                        }
                        else
                        {
                            badNames.Add((KeyValueDecoder.KeyText(kv), true));
                        }

                        skipped.Add((KeyValueDecoder.KeyText(kv), failure));
                    }
                }
            }

            result = changes.Count == 0 ? ApplyResult.Unchanged : _store.Apply(changes);
            Interlocked.Exchange(ref _revision, reached);
        }

        // Status and metrics first: an app's change handler, or anyone told of a skipped key, sees them current.
        OnBatchApplied(responses, changes, result, skipped, badNames);
        Publish(result, skipped);
        EtcdConfigurationMetrics.ApplyDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, PrefixTag);
    }

    /// <summary>Reports a failure to the log and to <see cref="EtcdConfigurationSource.OnLoadException"/>.</summary>
    internal EtcdLoadExceptionContext ReportFailure(Exception failure, string? key)
    {
        var context = new EtcdLoadExceptionContext(this, failure, key);
        if (key is not null)
        {
            Logger.LogWarning("{Message}", failure.Message);
        }

        try
        {
            Source.OnLoadException?.Invoke(context);
        }
        catch (Exception callbackFailure)
        {
            Logger.LogError(callbackFailure, "The OnLoadException callback of the etcd source for '{Prefix}' threw.", _mapper.Prefix);
        }

        return context;
    }

    private void Publish(ApplyResult result, List<(string Key, FormatException Failure)> skipped)
    {
        foreach (var conflict in result.Conflicts)
        {
            Logger.LogWarning("{Conflict}", conflict.Message);
        }

        foreach (var (key, failure) in skipped)
        {
            ReportFailure(failure, key);
        }

        if (result.Changed)
        {
            if (Data.Count > 0)
            {
                Data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            }

            try
            {
                OnReload();
            }
            catch (Exception handlerFailure)
            {
                // The app's own change handlers threw (OnReload runs them synchronously). The change is applied;
                // their failure is not etcd's, so it must neither break the watch nor reach OnLoadException.
                Logger.LogError(
                    handlerFailure,
                    "A configuration change handler threw after '{Prefix}' changed at revision {Revision}; the change is applied.",
                    _mapper.Prefix,
                    Revision);
            }
        }
    }
}
