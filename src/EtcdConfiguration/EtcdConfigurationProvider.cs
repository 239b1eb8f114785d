using EtcdConfiguration.Applying;
using EtcdConfiguration.Caching;
using EtcdConfiguration.Client;
using EtcdConfiguration.Mapping;
using EtcdConfiguration.Monitoring;
using EtcdConfiguration.Store;
using EtcdConfiguration.Sync;
using EtcdConfiguration.Validation;
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
public class EtcdConfigurationProvider : ConfigurationProvider, IDisposable
{
    private readonly KeyMapper _mapper;
    private readonly ConfigurationStore _store;
    private readonly FailureReporter _reporter;
    private readonly ProviderMonitor _monitor;
    private readonly LastKnownGoodCache? _cache;
    private readonly BatchApplier _applier;
    private readonly CancellationTokenSource _stopping = new();
    private EtcdClientPool.Handle? _client;
    private volatile EtcdSyncLoop? _syncLoop;
    private SharedPrefixWatch.Subscription? _sharedWatch;
    private StreamHealthObserver? _streamHealth;
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

        // The one place the parts are wired; docs/architecture.md describes them.
        Source = source;
        Logger = source.LoggerFactory?.CreateLogger<EtcdConfigurationProvider>() ?? (ILogger)NullLogger.Instance;
        _mapper = new KeyMapper(source.Prefix);
        _store = new ConfigurationStore(_mapper.Prefix);
        _reporter = new FailureReporter(this, _mapper.Prefix, Logger);
        // The client's clock once there is a client (a failure before that is the first load's, on the system clock).
        _monitor = new ProviderMonitor(_mapper.Prefix, Logger, () => Revision, () => _client?.Client.RetryPolicy.TimeProvider ?? TimeProvider.System);
        if (!string.IsNullOrWhiteSpace(source.CacheFile))
        {
            _cache = new LastKnownGoodCache(source.CacheFile, _mapper.Prefix, source.ValueFormat, _store, () => Revision, _reporter, Logger);
        }

        _applier = new BatchApplier(
            _mapper,
            new BatchDecoder(new KeyValueDecoder(_mapper, source.ValueFormat)),
            _store,
            _monitor,
            _reporter,
            () => Client,
            SignalReload,
            Logger)
        {
            Cache = _cache,
        };
    }

    /// <summary>
    /// The name of the <see cref="System.Diagnostics.Metrics.Meter"/> the provider reports to, for
    /// <c>AddMeter</c> in OpenTelemetry or a <see cref="System.Diagnostics.Metrics.MeterListener"/>.
    /// </summary>
    public const string MeterName = "EtcdConfiguration";

    /// <summary>The source this provider was built from.</summary>
    public EtcdConfigurationSource Source { get; }

    /// <summary>
    /// Raised once per batch from etcd that changed what readers see (a transaction is one batch), after the change
    /// token has fired and the new values are readable: the revision reached and, for every configuration key whose
    /// value appeared, changed or went, the old and new value. A write that changes nothing raises nothing.
    /// </summary>
    /// <remarks>
    /// Handlers run on the provider's background thread, one after another; keep them short. A handler that throws
    /// is logged and neither stops the others nor the watch. Values may be secrets: log keys, not values.
    /// </remarks>
    public event EventHandler<EtcdConfigurationChangedEventArgs>? Changed;

    /// <summary>The etcd revision the current data reflects; 0 until the first successful load.</summary>
    public long Revision => _applier.Revision;

    /// <summary>
    /// Where the data comes from (etcd, the cache file, nowhere yet), whether it follows etcd, and what went wrong
    /// last. A fresh copy on every call; <see cref="EtcdConfigurationHealthCheck"/> reports it.
    /// </summary>
    public EtcdConfigurationStatus Status => _monitor.Status.ToPublic(_mapper.Prefix, Source.CacheFile, _streamHealth?.Endpoint);

    /// <summary>The background load-and-watch work; completed when there is none or it has ended.</summary>
    internal Task BackgroundWork => _syncLoop?.Completion ?? _sharedWatch?.Completion ?? Task.CompletedTask;

    /// <summary>Whether this provider follows etcd through the watch it shares with the others of its prefix (for tests).</summary>
    internal bool SharesWatch => _sharedWatch is { Completion.IsCompleted: false };

    /// <summary>Where every change from etcd is applied; the benchmark harness times it directly.</summary>
    internal BatchApplier Applier => _applier;

    /// <summary>
    /// Starts validating changes from etcd for <paramref name="gated"/> before they are applied, building options with
    /// <paramref name="services"/>; called when the host starts (see <c>ValidateEtcdChanges</c>).
    /// </summary>
    internal ChangeGate AttachGate(IServiceProvider services, IReadOnlyList<GatedOptions> gated) =>
        _applier.AttachGate(() => new ChangeGate(this, _store, services, gated));

    /// <summary>The pooled client, acquired on first use.</summary>
    internal EtcdClient Client => (_client ??= EtcdClientPool.Acquire(Source)).Client;

    /// <summary>The pooled client once the provider has one and until it is disposed; never acquires one (the health check asks it for alarms).</summary>
    internal EtcdClient? ConnectedClient => Volatile.Read(ref _disposed) == 0 ? _client?.Client : null;

    /// <summary>
    /// How long the first load of an optional source may take (or <see cref="EtcdConfigurationSource.StartupTimeout"/>,
    /// if shorter) before the app starts without it; the load goes on in the background.
    /// </summary>
    internal static TimeSpan OptionalStartupWait { get; } = TimeSpan.FromSeconds(1);

    private ILogger Logger { get; }

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
        var (wait, waitName) = first && Source.Optional && Source.StartupTimeout > OptionalStartupWait
            ? (OptionalStartupWait, "the wait of an optional source at startup")
            : (Source.StartupTimeout, "the startup timeout");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(wait);
            Task.Run(() => _applier.LoadSnapshotAsync(timeout.Token), timeout.Token).GetAwaiter().GetResult();
            loaded = true;
        }
        catch (Exception ex) when (ex is EtcdException or OperationCanceledException && _disposed == 0)
        {
            var failure = new EtcdException(
                $"Could not load configuration prefix '{_mapper.Prefix}' from etcd at {string.Join(", ", Source.Endpoints)}"
                + (ex is not OperationCanceledException ? $": {EndSentence(ex.Message)}"
                    : $" within {waitName} of {wait.TotalSeconds:0.###} s"
                        + (ex.InnerException is EtcdException cause ? $"; last error: {EndSentence(cause.Message)}" : ".")),
                ex);
            var context = _reporter.Report(failure, key: null);
            _monitor.LoadFailed(failure);

            // On the first load, the last-known-good cache stands in for etcd until etcd answers.
            var fromCache = first && TryStartFromCache();
            if (first && !Source.Optional && !context.Ignore && !fromCache)
            {
                // No configuration root will hold (and dispose) a provider whose first load threw: let go of the
                // pooled client now.
                Dispose();
                throw failure;
            }

            // A required source that starts anyway must say why, or Ignore silently turns off fail-fast.
            Logger.LogWarning(
                "{Message} {Why}Starting with {State}; retrying in the background.",
                failure.Message,
                first && !Source.Optional && context.Ignore && !fromCache ? "OnLoadException set Ignore, so this required source starts anyway. " : string.Empty,
                _monitor.DescribeServedData(Source.CacheFile));
        }

        if (first && (Source.ReloadOnChange || !loaded))
        {
            if (Source.ReloadOnChange)
            {
                _streamHealth = new StreamHealthObserver(Client.Watch, _monitor);
            }

            // A loaded provider shares its prefix's watch when it can; otherwise (the first load failed, or the shared
            // watch has already passed this provider's revision) it watches on its own.
            _sharedWatch = loaded && Source.ReloadOnChange && Source.ShareWatch
                ? SharedPrefixWatch.Join(Client, _mapper, Source.ValueFormat, _applier, _ => StartSyncLoop(needsSnapshot: false), Logger)
                : null;
            if (_sharedWatch is null)
            {
                StartSyncLoop(needsSnapshot: !loaded);
            }
        }
    }

    /// <inheritdoc/>
    public override bool TryGet(string key, out string? value)
    {
        if (Data.Count > 0 && Data.TryGetValue(key, out value))
        {
            return true;
        }

        // The validation gate binding options from a batch not applied yet reads it here; no one else sees it.
        return CandidateView.ActiveFor(this) is { } candidate ? candidate.TryGet(key, out value) : _store.TryGet(key, out value);
    }

    /// <summary>
    /// Sets a value in memory only, until the next change from etcd reloads this provider (as the file
    /// providers' values last until their file changes).
    /// </summary>
    /// <param name="key">The configuration key.</param>
    /// <param name="value">The value.</param>
    public override void Set(string key, string? value) => base.Set(key, value);

    /// <inheritdoc/>
    public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
    {
        var earlier = Data.Count > 0 ? base.GetChildKeys(earlierKeys, parentPath) : earlierKeys;
        return CandidateView.ActiveFor(this) is { } candidate ? candidate.GetChildKeys(earlier, parentPath) : _store.GetChildKeys(earlier, parentPath);
    }

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
        _sharedWatch?.Dispose();
        _syncLoop?.Stop();
        _streamHealth?.Dispose();
        _cache?.Close(TimeSpan.FromSeconds(5));
        _monitor.Dispose();
        _client?.Dispose();
        _stopping.Dispose();

        // The store is left undisposed on purpose: the host disposes the configuration at shutdown while other
        // code may still read it, and reads must keep returning the last values, as with every other provider.
    }

    private static string EndSentence(string text) =>
        text.Length == 0 || text[^1] is '.' or '!' or '?' ? text : text + ".";

    private void StartSyncLoop(bool needsSnapshot)
    {
        var loop = new EtcdSyncLoop(_applier, () => Client, Client.RetryPolicy, _mapper.PrefixBytes, _mapper.Prefix, Source.ReloadOnChange, Logger, needsSnapshot);
        _syncLoop = loop;
        loop.Start(_stopping.Token);
    }

    private bool TryStartFromCache()
    {
        if (_cache?.TryRead() is not { } document)
        {
            return false;
        }

        _applier.ApplyCache(document, _cache.Path);
        return true;
    }

    // The last step of every applied change (BatchApplier): values set in memory give way, the change token fires,
    // and then, with the new values readable, the Changed event.
    private void SignalReload(long revision, ApplyResult result)
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

        var changes = result.Changes;
        if (changes is not null)
        {
            _monitor.ConfigurationChanged(revision, changes);
        }

        if (Changed is not { } handlers)
        {
            return;
        }

        // The first load into an empty store lists nothing (it keeps no before-images): everything in it was added.
        changes ??= _store.Snapshot()
            .OrderBy(pair => pair.Key, StringComparer.OrdinalIgnoreCase)
            .Select(pair => new EtcdConfigurationChange(pair.Key, null, pair.Value))
            .ToArray();
        if (changes.Count > 0)
        {
            RaiseChanged(handlers, new EtcdConfigurationChangedEventArgs(revision, changes));
        }
    }

    // Each handler on its own: one that throws must not keep the others (or the watch) from their changes.
    private void RaiseChanged(EventHandler<EtcdConfigurationChangedEventArgs> handlers, EtcdConfigurationChangedEventArgs args)
    {
        foreach (var handler in handlers.GetInvocationList())
        {
            try
            {
                ((EventHandler<EtcdConfigurationChangedEventArgs>)handler)(this, args);
            }
            catch (Exception handlerFailure)
            {
                Logger.LogError(
                    handlerFailure,
                    "A Changed handler of the etcd configuration of '{Prefix}' threw at revision {Revision}; the change is applied.",
                    _mapper.Prefix,
                    args.Revision);
            }
        }
    }
}
