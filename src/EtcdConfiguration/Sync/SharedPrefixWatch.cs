using EtcdConfiguration.Applying;
using EtcdConfiguration.Client;
using EtcdConfiguration.Mapping;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Sync;

/// <summary>
/// One etcd watch of a prefix for every provider on the same client, prefix and value format (the watch
/// coalescing etcd's gRPC proxy does): etcd sends each change once, it is decoded once, and each provider applies
/// it to its own store and fires its own reload. The watch runs an <see cref="EtcdSyncLoop"/>
/// of its own, so a broken stream, a failed watch and a compacted history are handled as for a single provider.
/// </summary>
/// <remarks>
/// A provider joins only when nothing it lacks has gone by: every event up to <see cref="Revision"/> has been handed
/// to the providers already joined, so one whose data is older would miss the events in between; it watches on its
/// own instead. One whose data is newer is fine: its applier drops events at or below its own revision. After a
/// compaction every provider re-reads the prefix, and the watch resumes after the oldest of their revisions.
/// </remarks>
internal sealed class SharedPrefixWatch : ISyncTarget, IDisposable
{
    private static readonly Dictionary<WatchKey, SharedPrefixWatch> Watches = [];
    private static readonly Lock WatchesGate = new();

    private readonly WatchKey _key;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly EtcdSyncLoop _loop;
    private readonly BatchDecoder _decoder;
    private Subscription[] _subscribers = [];

    // Every event at or below it has been handed to every provider joined, or precedes the watch.
    private long _position;

    /// <summary>Providers per thread when a batch is handed out: fewer stay on the watch's thread alone.</summary>
    internal const int ProvidersPerLane = 16;

    private SharedPrefixWatch(WatchKey key, KeyMapper mapper, long revision, ILogger logger)
    {
        _key = key;
        _logger = logger;
        _position = revision;
        _decoder = new BatchDecoder(new KeyValueDecoder(mapper, key.Format));
        _loop = new EtcdSyncLoop(this, () => key.Client, key.Client.RetryPolicy, mapper.PrefixBytes, key.Prefix, watch: true, logger, needsSnapshot: false);
    }

    /// <inheritdoc/>
    public long Revision => Interlocked.Read(ref _position);

    /// <summary>How many providers share the watch of <paramref name="prefix"/> on <paramref name="client"/> (for tests).</summary>
    internal static int SubscribersOf(EtcdClient client, string prefix, EtcdValueFormat format)
    {
        lock (WatchesGate)
        {
            return Watches.TryGetValue(new WatchKey(client, prefix, format), out var watch) ? watch._subscribers.Length : 0;
        }
    }

    /// <summary>
    /// Joins <paramref name="target"/> (loaded, at its <see cref="ISyncTarget.Revision"/>) to the shared watch of its
    /// prefix, starting that watch if it is the first; <see langword="null"/> when the watch has already handed out
    /// events the target lacks, so it must watch on its own.
    /// </summary>
    /// <param name="client">The provider's client.</param>
    /// <param name="mapper">The provider's prefix and key mapping.</param>
    /// <param name="format">How the provider decodes values.</param>
    /// <param name="target">Where the provider applies batches and reports failures.</param>
    /// <param name="onDetached">
    /// Called (once, on the watch's thread) when applying a batch to this target threw: it has left the shared watch at
    /// its own revision and must go on watching by itself.
    /// </param>
    /// <param name="logger">The provider's logger; the first provider's logs for the shared watch.</param>
    public static Subscription? Join(
        EtcdClient client,
        KeyMapper mapper,
        EtcdValueFormat format,
        BatchApplier target,
        Action<Exception> onDetached,
        ILogger logger)
    {
        var key = new WatchKey(client, mapper.Prefix, format);
        SharedPrefixWatch? started = null;
        Subscription? subscription;
        lock (WatchesGate)
        {
            if (!Watches.TryGetValue(key, out var watch))
            {
                watch = started = new SharedPrefixWatch(key, mapper, target.Revision, logger);
                Watches.Add(key, watch);
            }

            subscription = watch.TryAdd(target, onDetached);
        }

        started?._loop.Start(started._stopping.Token);
        return subscription;
    }

    /// <inheritdoc/>
    public async Task LoadSnapshotAsync(CancellationToken cancellationToken)
    {
        // After a compaction: every provider re-reads the prefix, each at whatever revision etcd is at then.
        var subscribers = Volatile.Read(ref _subscribers);
        await Task.WhenAll(subscribers.Select(s => s.LoadSnapshotAsync(cancellationToken)));
        lock (_gate)
        {
            // Resume after the oldest: each provider drops what it already has, and a provider that joined meanwhile
            // (at or after the old position) is counted too.
            if (_subscribers.Length > 0)
            {
                Interlocked.Exchange(ref _position, _subscribers.Min(s => s.Target.Revision));
            }
        }
    }

    /// <inheritdoc/>
    public void ApplyBatch(IReadOnlyList<WatchResponse> responses)
    {
        var decoded = SharedDecode.Of(_decoder, responses);
        Subscription[] subscribers;
        lock (_gate)
        {
            // Together with taking the list: a provider that joins from now on has had these events, or must have.
            subscribers = _subscribers;
            if (decoded is not null && decoded.Batch.Reached > _position)
            {
                Interlocked.Exchange(ref _position, decoded.Batch.Reached);
            }
        }

        // Each provider always on the same lane, and every lane done before the next batch: each applies in order.
        var lanes = Math.Min(Environment.ProcessorCount, subscribers.Length / ProvidersPerLane);
        if (lanes <= 1)
        {
            foreach (var subscriber in subscribers)
            {
                subscriber.Deliver(responses, decoded);
            }

            return;
        }

        Parallel.For(0, lanes, new ParallelOptions { MaxDegreeOfParallelism = lanes }, lane =>
        {
            for (var i = lane; i < subscribers.Length; i += lanes)
            {
                subscribers[i].Deliver(responses, decoded);
            }
        });
    }

    /// <inheritdoc/>
    public void ReportFailure(EtcdException failure, bool duringSnapshot)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber.ReportFailure(failure, duringSnapshot);
        }
    }

    private Subscription? TryAdd(BatchApplier target, Action<Exception> onDetached)
    {
        lock (_gate)
        {
            if (target.Revision < _position)
            {
                return null;
            }

            var subscription = new Subscription(this, target, onDetached);
            _subscribers = [.. _subscribers, subscription];
            return subscription;
        }
    }

    private void Remove(Subscription subscription)
    {
        var last = false;
        lock (WatchesGate)
        {
            lock (_gate)
            {
                var index = Array.IndexOf(_subscribers, subscription);
                if (index < 0)
                {
                    return;
                }

                _subscribers = [.. _subscribers[..index], .. _subscribers[(index + 1)..]];
                if (_subscribers.Length == 0)
                {
                    last = true;
                    Watches.Remove(_key);
                }
            }
        }

        if (last)
        {
            _logger.LogDebug("The last provider of '{Prefix}' left its shared watch; stopping it.", _key.Prefix);
            Dispose();
        }
    }

    /// <summary>Stops the watch; only once its last provider has left (no one can join it then).</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _loop.Stop();
        _stopping.Dispose();
    }

    // The client by reference: one watch per client, never across clients.
    private readonly record struct WatchKey(EtcdClient Client, string Prefix, EtcdValueFormat Format);

    /// <summary>One provider's place in a shared watch; dispose it to leave.</summary>
    internal sealed class Subscription : IDisposable
    {
        private readonly SharedPrefixWatch _watch;
        private readonly Action<Exception> _onDetached;
        private readonly Lock _gate = new();
        private readonly CancellationTokenSource _leaving = new();
        private readonly TaskCompletionSource _left = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _isLeft;

        public Subscription(SharedPrefixWatch watch, BatchApplier target, Action<Exception> onDetached)
        {
            _watch = watch;
            Target = target;
            _onDetached = onDetached;
        }

        public BatchApplier Target { get; }

        /// <summary>Completes when the provider has left: no batch reaches it any more.</summary>
        public Task Completion => _left.Task;

        /// <summary>Leaves the shared watch; once this returns, no batch is being or will be applied to the provider.</summary>
        public void Dispose()
        {
            // Under the provider's lock: a batch being applied to it finishes first.
            lock (_gate)
            {
                if (_isLeft)
                {
                    return;
                }

                _isLeft = true;
            }

            _leaving.Cancel();
            _watch.Remove(this);
            _left.TrySetResult();
        }

        public void Deliver(IReadOnlyList<WatchResponse> responses, SharedDecode? decoded)
        {
            lock (_gate)
            {
                if (_isLeft)
                {
                    return;
                }

                try
                {
                    Target.ApplyBatch(responses, decoded);
                }
                catch (Exception ex)
                {
                    // This provider alone: it leaves at its own revision and goes on by itself, as it would have
                    // retried its own watch; the others must not wait for it or see its failure.
                    _watch._logger.LogError(ex, "Applying a change of '{Prefix}' failed; this provider leaves the shared watch and watches on its own.", _watch._key.Prefix);
                    _isLeft = true;
                    _watch.Remove(this);
                    _left.TrySetResult();
                    _onDetached(ex);
                }
            }
        }

        public void ReportFailure(EtcdException failure, bool duringSnapshot)
        {
            lock (_gate)
            {
                if (!_isLeft)
                {
                    Target.ReportFailure(failure, duringSnapshot);
                }
            }
        }

        public async Task LoadSnapshotAsync(CancellationToken cancellationToken)
        {
            using var loading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _leaving.Token);
            try
            {
                await Target.LoadSnapshotAsync(loading.Token);
            }
            catch (OperationCanceledException) when (_leaving.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // The provider left while re-reading; the others go on.
            }
        }
    }
}
