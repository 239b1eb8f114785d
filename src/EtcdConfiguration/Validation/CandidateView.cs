using EtcdConfiguration.Mapping;
using EtcdConfiguration.Store;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Validation;

/// <summary>
/// The configuration as it would be after some changes, seen only by the thread that validates them: the store's
/// data with the changes laid over it, nothing published. While it is active, the provider answers that thread's
/// <c>TryGet</c> and <c>GetChildKeys</c> from it, so the app's own binding and validation run unmodified against
/// the candidate data, and every other reader keeps seeing the store.
/// </summary>
/// <remarks>
/// When several etcd keys give one configuration key, the view takes the change's value; the store's precedence
/// between contenders is not replayed for it. A key the changes withdraw shows the best remaining contender's value
/// (<see cref="ConfigurationStore.TryGetWithout"/>), as the store will after the batch.
/// </remarks>
internal sealed class CandidateView
{
    [ThreadStatic]
    private static CandidateView? t_active;

    // How many views are active on any thread: while none is, a provider's reads skip the thread-static lookup.
    private static int s_activations;

    private readonly object _owner;
    private readonly ConfigurationStore _store;
    private readonly Dictionary<string, string?> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _removed = new(StringComparer.OrdinalIgnoreCase);
    private Footprint? _recording;

    /// <summary>Lays <paramref name="changes"/> (in order; the last change of an etcd key counts) over the store.</summary>
    public CandidateView(object owner, ConfigurationStore store, IEnumerable<EtcdKeyChange> changes)
    {
        _owner = owner;
        _store = store;
        var last = new Dictionary<string, EtcdKeyChange>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (!change.KeepsCurrent)
            {
                last[change.EtcdKey] = change;
            }
        }

        // Withdraw first, then add: a key that moves from one etcd key to another ends up given.
        foreach (var etcdKey in last.Keys)
        {
            _removed.UnionWith(store.ContributedKeys(etcdKey));
        }

        foreach (var change in last.Values)
        {
            foreach (var (key, value) in change.Contribution ?? [])
            {
                _values[key] = value;
                _removed.Remove(key);
            }
        }

        // A withdrawn key that another etcd key also gives shows that one's value, as the store will after the batch:
        // the ordinary value under an expiring override, a blob's under a deleted deeper key.
        if (_removed.Count > 0)
        {
            var withdrawn = last.Keys.ToHashSet(StringComparer.Ordinal);
            foreach (var key in _removed.ToList())
            {
                if (store.TryGetWithout(key, withdrawn, out var fallback))
                {
                    _values[key] = fallback;
                    _removed.Remove(key);
                }
            }
        }
    }

    /// <summary>The view active on this thread for <paramref name="owner"/>, if any.</summary>
    public static CandidateView? ActiveFor(object owner) =>
        Volatile.Read(ref s_activations) > 0 && t_active is { } view && ReferenceEquals(view._owner, owner) ? view : null;

    /// <summary>Makes the view answer this thread's reads, recording them into <paramref name="footprint"/>, until disposed.</summary>
    public Scope Activate(Footprint footprint)
    {
        var previous = t_active;
        _recording = footprint;
        t_active = this;
        Interlocked.Increment(ref s_activations);
        return new Scope(this, previous);
    }

    /// <summary>The value of <paramref name="key"/> in the candidate data.</summary>
    public bool TryGet(string key, out string? value)
    {
        _recording?.LookedUp(key);
        if (_values.TryGetValue(key, out value))
        {
            return true;
        }

        if (_removed.Contains(key))
        {
            value = null;
            return false;
        }

        return _store.TryGet(key, out value);
    }

    /// <summary>The child keys of <paramref name="parentPath"/> in the candidate data, as the store computes them.</summary>
    public IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
    {
        _recording?.ListedChildren(parentPath);
        var children = _store.GetChildKeys([], parentPath).ToList();
        foreach (var key in _removed)
        {
            if (Segment(key, parentPath) is { } segment && _store.TryGet(key, out _))
            {
                int at = children.FindIndex(c => string.Equals(c, segment, StringComparison.OrdinalIgnoreCase));
                if (at >= 0)
                {
                    children.RemoveAt(at);
                }
            }
        }

        foreach (var key in _values.Keys)
        {
            if (Segment(key, parentPath) is { } segment && !_store.TryGet(key, out _))
            {
                children.Add(segment);
            }
        }

        children.AddRange(earlierKeys);
        children.Sort(ConfigurationKeyComparer.Instance);
        return children;
    }

    // The segment of key just below parentPath, or null when the key is not below it.
    private static string? Segment(string key, string? parentPath)
    {
        int start = 0;
        if (parentPath is not null)
        {
            if (key.Length <= parentPath.Length + 1
                || key[parentPath.Length] != ConfigurationPath.KeyDelimiter[0]
                || !key.StartsWith(parentPath, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            start = parentPath.Length + 1;
        }

        int end = key.IndexOf(ConfigurationPath.KeyDelimiter[0], start);
        return end < 0 ? key[start..] : key[start..end];
    }

    /// <summary>Restores what the thread saw before <see cref="Activate"/>.</summary>
    public readonly struct Scope(CandidateView view, CandidateView? previous) : IDisposable
    {
        /// <inheritdoc/>
        public void Dispose()
        {
            view._recording = null;
            t_active = previous;
            Interlocked.Decrement(ref s_activations);
        }
    }
}
