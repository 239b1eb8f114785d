using EtcdConfiguration.Mapping;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Store;

/// <summary>
/// The configuration a provider serves: for every etcd key under the prefix, the pairs it contributes, and the
/// resolved view readers see. When several etcd keys give one configuration key (compared case-insensitively),
/// a temporary override beats every ordinary key, then the one with more segments wins and, between equals, the
/// ordinally greater etcd key wins; removing the winner reveals the next one again. See <see cref="KeyConflict"/>.
/// </summary>
/// <remarks>
/// <para>
/// One writer (serialised here) and any number of readers. A batch becomes visible all at once: the writer
/// compares it with the current state without blocking readers, then holds the write lock only while it
/// mutates the keys that really change. The cost of a change is proportional to the pairs of the etcd keys it
/// touches, never to the number of keys loaded: each configuration key records who contributes it.
/// </para>
/// <para>
/// Memory: readers look up one dictionary whose entries hold the value and the contributor. An etcd key whose
/// single value sits at its own path (<c>/myapp/Db/Host</c> giving <c>Db:Host</c>) is stored as nothing more
/// than that entry; its etcd key string is rebuilt from the path when needed. Only JSON blobs, keys whose path
/// is not a plain <c>/</c>→<c>:</c> rewrite, and keys in a conflict are tracked separately.
/// </para>
/// <para>
/// The concerns live apart: this file holds the pairs, the locking and the two ways in (<see cref="Apply"/>,
/// <see cref="ReplaceAll"/>); <c>ConfigurationStore.FirstLoad.cs</c> the fast path into an empty store;
/// <c>ConfigurationStore.Contributions.cs</c> how one etcd key's pairs go in and out;
/// <c>ConfigurationStore.Conflicts.cs</c> several etcd keys giving one configuration key; <see cref="StoreBatch"/>
/// the before-images of a batch; <see cref="ChildKeyIndex"/> the answers to <see cref="GetChildKeys"/>.
/// </para>
/// </remarks>
internal sealed partial class ConfigurationStore : IDisposable
{
    private static readonly char Delimiter = ConfigurationPath.KeyDelimiter[0];

    private readonly string _prefix;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Lock _writeGate = new();
    private readonly Dictionary<string, Slot> _slots = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Slot>.AlternateLookup<ReadOnlySpan<char>> _slotsBySpan;
    private readonly Dictionary<string, Contributor> _contributors = new(StringComparer.Ordinal);
    private readonly ChildKeyIndex _childKeys = new();

    // Whether a configuration key got a second contributor since the first load began (its conflicts are reported).
    private bool _disputed;

    /// <summary>Creates an empty store for the etcd keys under <paramref name="prefix"/>.</summary>
    /// <param name="prefix">The normalised prefix, <see cref="KeyMapper.Prefix"/>.</param>
    public ConfigurationStore(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        _prefix = prefix;
        _slotsBySpan = _slots.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The number of configuration keys readers see.</summary>
    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _slots.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>
    /// How many etcd keys are stored explicitly (JSON blobs, keys in a conflict, keys whose path is not a plain
    /// rewrite); the others cost nothing beyond their configuration entry. For tests and diagnostics.
    /// </summary>
    public int TrackedEtcdKeyCount
    {
        get
        {
            lock (_writeGate)
            {
                return _contributors.Count;
            }
        }
    }

    /// <summary>Looks up a configuration key, case-insensitively.</summary>
    public bool TryGet(string key, out string? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        _lock.EnterReadLock();
        try
        {
            if (_slots.TryGetValue(key, out var slot))
            {
                value = slot.Value;
                return true;
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        value = null;
        return false;
    }

    /// <summary>
    /// The child keys of <paramref name="parentPath"/>, exactly as <see cref="ConfigurationProvider.GetChildKeys"/>
    /// computes them over its data: the next segment of every key below the parent (one entry per key, so
    /// repeats are kept), followed by <paramref name="earlierKeys"/>, sorted with <see cref="ConfigurationKeyComparer"/>.
    /// </summary>
    public IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
    {
        ArgumentNullException.ThrowIfNull(earlierKeys);
        var results = new List<string>();
        _lock.EnterReadLock();
        try
        {
            results.AddRange(_childKeys.Get(parentPath, _slots.Keys));
        }
        finally
        {
            _lock.ExitReadLock();
        }

        results.AddRange(earlierKeys);
        results.Sort(ConfigurationKeyComparer.Instance);
        return results;
    }

    /// <summary>A copy of every configuration pair readers see, in no particular order.</summary>
    public KeyValuePair<string, string?>[] Snapshot()
    {
        _lock.EnterReadLock();
        try
        {
            var pairs = new KeyValuePair<string, string?>[_slots.Count];
            int i = 0;
            foreach (var (key, slot) in _slots)
            {
                pairs[i++] = new KeyValuePair<string, string?>(key, slot.Value);
            }

            return pairs;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Applies the new states of some etcd keys as one atomic step: readers see all of them or none. When an
    /// etcd key appears more than once, its last change counts (a <see cref="EtcdKeyChange.Keep"/> counts for
    /// nothing). A change equal to the key's current contribution costs a comparison and nothing else.
    /// </summary>
    /// <exception cref="ArgumentException">A contribution gives one configuration key twice; nothing was applied.</exception>
    public ApplyResult Apply(IReadOnlyList<EtcdKeyChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (_writeGate)
        {
            return ApplyCore(LastPerKey(changes));
        }
    }

    /// <summary>
    /// The configuration keys <paramref name="etcdKey"/> contributes now (whether or not it wins them); none when
    /// it gives nothing. The validation gate reads it to see what a change withdraws.
    /// </summary>
    public IReadOnlyList<string> ContributedKeys(string etcdKey)
    {
        ArgumentNullException.ThrowIfNull(etcdKey);
        lock (_writeGate)
        {
            var current = Find(etcdKey);
            return current.Complex is { } contributor ? contributor.Keys
                : current.SimpleKey is { } key ? [key]
                : [];
        }
    }

    /// <summary>
    /// The changes that would make the store hold exactly <paramref name="entries"/>, as <see cref="ReplaceAll"/>
    /// would apply them, without applying anything: for the validation gate to look at a re-read snapshot first.
    /// </summary>
    public List<EtcdKeyChange> Difference(IEnumerable<EtcdKeyChange> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_writeGate)
        {
            return ChangesToReplace(entries);
        }
    }

    /// <summary>
    /// Makes the store hold exactly <paramref name="entries"/> (a full listing of the prefix, after a compaction
    /// for example): etcd keys missing from it are deleted, keys listed with <see cref="EtcdKeyChange.Keep"/> keep
    /// what they have, and only the difference is applied, atomically.
    /// </summary>
    /// <exception cref="ArgumentException">A contribution gives one configuration key twice; nothing was applied.</exception>
    public ApplyResult ReplaceAll(IEnumerable<EtcdKeyChange> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_writeGate)
        {
            if (_slots.Count == 0 && _contributors.Count == 0
                && entries is IReadOnlyList<EtcdKeyChange> listing && IsStrictlyAscending(listing))
            {
                return LoadIntoEmpty(listing);
            }

            return ApplyCore(ChangesToReplace(entries));
        }
    }

    // Called with the write gate held: the changes from the current state to exactly the listed entries.
    private List<EtcdKeyChange> ChangesToReplace(IEnumerable<EtcdKeyChange> entries)
    {
        var wanted = new Dictionary<string, EtcdKeyChange>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry.EtcdKey, nameof(entries));
            if (!entry.KeepsCurrent || !wanted.ContainsKey(entry.EtcdKey))
            {
                wanted[entry.EtcdKey] = entry;
            }
        }

        var changes = new List<EtcdKeyChange>(wanted.Count);
        foreach (var entry in wanted.Values)
        {
            if (!entry.KeepsCurrent)
            {
                changes.Add(entry);
            }
        }

        foreach (string etcdKey in _contributors.Keys)
        {
            if (!wanted.ContainsKey(etcdKey))
            {
                changes.Add(EtcdKeyChange.Delete(etcdKey));
            }
        }

        foreach (var (key, slot) in _slots)
        {
            if (slot.Owner is null)
            {
                string etcdKey = SimpleEtcdKey(key);
                if (!wanted.ContainsKey(etcdKey))
                {
                    changes.Add(EtcdKeyChange.Delete(etcdKey));
                }
            }
        }

        return changes;
    }

    /// <inheritdoc/>
    public void Dispose() => _lock.Dispose();

    // Called with the write gate held: nothing else mutates, so reading the state needs no lock.
    private ApplyResult ApplyCore(IReadOnlyList<EtcdKeyChange> changes)
    {
        List<EtcdKeyChange>? effective = null;
        foreach (var change in changes)
        {
            ArgumentNullException.ThrowIfNull(change.EtcdKey, nameof(changes));
            if (change.KeepsCurrent)
            {
                continue;
            }

            bool gives = change.Contribution is { Count: > 0 };
            if (gives)
            {
                Validate(change);
            }

            var current = Find(change.EtcdKey);
            if (gives ? Matches(current, change) : current.IsNone)
            {
                continue;
            }

            (effective ??= []).Add(change);
        }

        if (effective is null)
        {
            return ApplyResult.Unchanged;
        }

        var batch = new StoreBatch();
        _lock.EnterWriteLock();
        try
        {
            foreach (var change in effective)
            {
                Withdraw(change.EtcdKey, batch);
                if (change.Contribution is { Count: > 0 } pairs)
                {
                    Contribute(change.EtcdKey, change.SegmentCount, change.IsOverride, pairs, batch);
                }
            }

            if (batch.ChangesKeySet(_slotsBySpan))
            {
                _childKeys.Clear();
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        return batch.Summarise(_slotsBySpan);
    }

    // The last change of each etcd key; Keep entries change nothing, so they are dropped.
    private static IReadOnlyList<EtcdKeyChange> LastPerKey(IReadOnlyList<EtcdKeyChange> changes)
    {
        if (changes.Count == 1)
        {
            return changes[0].KeepsCurrent ? [] : changes;
        }

        var last = new Dictionary<string, int>(changes.Count, StringComparer.Ordinal);
        bool dropped = false;
        for (int i = 0; i < changes.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(changes[i].EtcdKey, nameof(changes));
            if (changes[i].KeepsCurrent)
            {
                dropped = true;
            }
            else
            {
                dropped |= !last.TryAdd(changes[i].EtcdKey, i);
                last[changes[i].EtcdKey] = i;
            }
        }

        if (!dropped)
        {
            return changes;
        }

        var result = new List<EtcdKeyChange>(last.Count);
        foreach (int i in last.Values)
        {
            result.Add(changes[i]);
        }

        return result;
    }
}
