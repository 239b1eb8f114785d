namespace EtcdConfiguration.Monitoring;

/// <summary>
/// What a provider knows about its own health: its <see cref="EtcdConfigurationState"/>, the revision and size of
/// its data, the last failure and the keys skipped for bad input. Updated at the provider's hooks from several
/// threads (the load, the watch, the client's stream events); each transition returns the state before it, so the
/// caller can log recoveries once.
/// </summary>
internal sealed class ProviderStatus
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _skipped = new(StringComparer.Ordinal);
    private EtcdConfigurationState _state = EtcdConfigurationState.Loading;
    private long _revision;
    private int _keyCount;
    private DateTimeOffset? _lastChange;
    private DateTimeOffset? _cacheWrittenAt;
    private string? _lastError;
    private DateTimeOffset? _lastErrorTime;
    private long? _rejectedRevision;
    private string[] _validationFailures = [];

    public EtcdConfigurationState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>The keys held, for the keys gauge; read without the lock.</summary>
    public int KeyCount => Volatile.Read(ref _keyCount);

    /// <summary>A full snapshot from etcd was applied: live, and the skipped keys are exactly those of the snapshot.</summary>
    public EtcdConfigurationState Loaded(long revision, int keyCount, bool changed, IEnumerable<string> skippedKeys)
    {
        lock (_gate)
        {
            var before = _state;
            _state = EtcdConfigurationState.Live;
            _revision = revision;
            _cacheWrittenAt = null;
            Volatile.Write(ref _keyCount, keyCount);
            if (changed || before is not EtcdConfigurationState.Live and not EtcdConfigurationState.Reconnecting)
            {
                _lastChange = DateTimeOffset.UtcNow;
            }

            _skipped.Clear();
            _skipped.UnionWith(skippedKeys);
            return before;
        }
    }

    /// <summary>
    /// A watch batch was applied. <paramref name="outcomes"/> gives, in event order, each etcd key the batch
    /// touched and whether it was skipped; the last outcome of a key decides whether it is still skipped.
    /// A batch holding the watch's creation proves the watch works again.
    /// </summary>
    public EtcdConfigurationState Applied(long revision, int keyCount, bool changed, bool watchCreated, IEnumerable<(string Key, bool Skipped)> outcomes)
    {
        lock (_gate)
        {
            var before = _state;
            if (watchCreated && before == EtcdConfigurationState.Reconnecting)
            {
                _state = EtcdConfigurationState.Live;
            }

            _revision = revision;
            Volatile.Write(ref _keyCount, keyCount);
            if (changed)
            {
                _lastChange = DateTimeOffset.UtcNow;
            }

            foreach (var (key, skipped) in outcomes)
            {
                if (skipped)
                {
                    _skipped.Add(key);
                }
                else
                {
                    _skipped.Remove(key);
                }
            }

            return before;
        }
    }

    /// <summary>The data was restored from the cache file because etcd could not be reached at startup.</summary>
    public void Restored(long revision, DateTimeOffset writtenAt, int keyCount)
    {
        lock (_gate)
        {
            _state = EtcdConfigurationState.Stale;
            _revision = revision;
            _cacheWrittenAt = writtenAt;
            _lastChange = DateTimeOffset.UtcNow;
            Volatile.Write(ref _keyCount, keyCount);
        }
    }

    /// <summary>
    /// Something failed. A provider that never had data has <see cref="EtcdConfigurationState.Failed"/>; one whose
    /// connection to etcd was lost (<paramref name="connectionLost"/>) is reconnecting if it was live.
    /// </summary>
    public EtcdConfigurationState Failed(string message, bool connectionLost)
    {
        lock (_gate)
        {
            var before = _state;
            _lastError = message;
            _lastErrorTime = DateTimeOffset.UtcNow;
            if (before == EtcdConfigurationState.Loading)
            {
                _state = EtcdConfigurationState.Failed;
            }
            else if (connectionLost && before == EtcdConfigurationState.Live)
            {
                _state = EtcdConfigurationState.Reconnecting;
            }

            return before;
        }
    }

    /// <summary>The client's shared watch stream works again after a break.</summary>
    public EtcdConfigurationState StreamRestored()
    {
        lock (_gate)
        {
            var before = _state;
            if (before == EtcdConfigurationState.Reconnecting)
            {
                _state = EtcdConfigurationState.Live;
            }

            return before;
        }
    }

    /// <summary>The validation gate holds back the changes of <paramref name="revision"/> for these failures.</summary>
    public void Rejected(long revision, string[] failures)
    {
        lock (_gate)
        {
            _rejectedRevision = revision;
            _validationFailures = failures;
        }
    }

    /// <summary>Nothing is held back any more.</summary>
    public void RejectionCleared()
    {
        lock (_gate)
        {
            _rejectedRevision = null;
            _validationFailures = [];
        }
    }

    public EtcdConfigurationStatus ToPublic(string prefix, string? cacheFile, string? watchEndpoint)
    {
        lock (_gate)
        {
            var skipped = _skipped.ToArray();
            Array.Sort(skipped, StringComparer.Ordinal);
            return new EtcdConfigurationStatus
            {
                Prefix = prefix,
                State = _state,
                Revision = _state is EtcdConfigurationState.Loading or EtcdConfigurationState.Failed ? 0 : _revision,
                KeyCount = _keyCount,
                LastChange = _lastChange,
                LastError = _lastError,
                LastErrorTime = _lastErrorTime,
                SkippedKeys = skipped,
                CacheFile = cacheFile,
                WatchEndpoint = watchEndpoint,
                CacheWrittenAt = _state == EtcdConfigurationState.Stale ? _cacheWrittenAt : null,
                RejectedRevision = _rejectedRevision,
                ValidationFailures = _validationFailures,
            };
        }
    }
}
