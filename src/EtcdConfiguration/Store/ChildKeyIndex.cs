using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Store;

/// <summary>
/// The next segments under a parent path, as <see cref="ConfigurationProvider.GetChildKeys"/> finds them by scanning
/// every key. The options binder asks for the same few sections after every reload, and most batches change values
/// only, so the answers are kept until a batch adds, removes or respells a configuration key.
/// </summary>
/// <remarks>
/// The store fills it under its read lock and clears it under its write lock, so no answer from before a batch
/// survives it. Readers may fill it at the same time; every member tolerates that.
/// </remarks>
internal sealed class ChildKeyIndex
{
    // Parent paths whose child keys are remembered at once; past this the memory starts afresh.
    private const int CacheLimit = 256;

    // Parents asked about by plain scans after a change of the key set, before the keys are sorted for lookups.
    private const int ScansBeforeSorting = 16;

    private readonly ConcurrentDictionary<string, string[]> _childKeys = new(StringComparer.OrdinalIgnoreCase);
    private volatile string[]? _rootChildKeys;

    // Every configuration key in case-insensitive order, built once more than a few parents have been asked about
    // since the set of keys changed: the keys below a parent are then one contiguous run found by binary search,
    // so walking a large section (AsEnumerable, binding a big dictionary) asks each of its n sections in
    // O(log n + below) rather than scanning all n keys each time. The binder's usual handful of sections after a
    // reload stays with the plain scan, which is cheaper than sorting.
    private volatile string[]? _sortedKeys;
    private int _scansSinceChange;

    /// <summary>The next segment of every key below <paramref name="parentPath"/> (one per key), from memory or by a scan.</summary>
    public string[] Get(string? parentPath, Dictionary<string, Slot>.KeyCollection keys)
    {
        var known = parentPath is null ? _rootChildKeys : _childKeys.GetValueOrDefault(parentPath);
        if (known is not null)
        {
            return known;
        }

        known = Scan(parentPath, keys);
        if (parentPath is null)
        {
            _rootChildKeys = known;
        }
        else
        {
            if (_childKeys.Count >= CacheLimit)
            {
                _childKeys.Clear();
            }

            _childKeys[parentPath] = known;
        }

        return known;
    }

    /// <summary>Forgets every answer, after a batch that changed the set of keys.</summary>
    public void Clear()
    {
        _childKeys.Clear();
        _rootChildKeys = null;
        _sortedKeys = null;
        _scansSinceChange = 0;
    }

    private static string Segment(string key, int start)
    {
        int end = key.IndexOf(ConfigurationPath.KeyDelimiter[0], start);
        return end < 0 ? key[start..] : key[start..end];
    }

    private static string[] SortKeys(Dictionary<string, Slot>.KeyCollection keys)
    {
        var sorted = new string[keys.Count];
        keys.CopyTo(sorted, 0);
        Array.Sort(sorted, StringComparer.OrdinalIgnoreCase);
        return sorted;
    }

    private string[] Scan(string? parentPath, Dictionary<string, Slot>.KeyCollection keys)
    {
        var found = new List<string>();
        if (parentPath is null)
        {
            foreach (string key in keys)
            {
                found.Add(Segment(key, 0));
            }

            return [.. found];
        }

        var below = parentPath + ConfigurationPath.KeyDelimiter;
        var sorted = _sortedKeys;
        if (sorted is null && Interlocked.Increment(ref _scansSinceChange) <= ScansBeforeSorting)
        {
            foreach (string key in keys)
            {
                if (key.StartsWith(below, StringComparison.OrdinalIgnoreCase))
                {
                    found.Add(Segment(key, below.Length));
                }
            }

            return [.. found];
        }

        // Readers may sort at the same time; each gets the same array, and the last one kept is as good as any.
        sorted ??= _sortedKeys = SortKeys(keys);
        var i = Array.BinarySearch(sorted, below, StringComparer.OrdinalIgnoreCase);
        for (i = i < 0 ? ~i : i; i < sorted.Length && sorted[i].StartsWith(below, StringComparison.OrdinalIgnoreCase); i++)
        {
            found.Add(Segment(sorted[i], below.Length));
        }

        return [.. found];
    }
}
