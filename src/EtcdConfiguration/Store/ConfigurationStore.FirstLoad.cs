using EtcdConfiguration.Mapping;

namespace EtcdConfiguration.Store;

// The first load into an empty store: the common start, and the one place that skips a batch's bookkeeping.
internal sealed partial class ConfigurationStore
{
    // A listing from etcd comes sorted by key; strictly ascending keys are distinct, which the first load relies on.
    private static bool IsStrictlyAscending(IReadOnlyList<EtcdKeyChange> listing)
    {
        for (int i = 0; i < listing.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(listing[i].EtcdKey, nameof(listing));
            if (i > 0 && string.CompareOrdinal(listing[i - 1].EtcdKey, listing[i].EtcdKey) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    // The first load into an empty store: there is nothing to withdraw or compare with, so the pairs go straight in
    // without the before-images a batch keeps (at startup those cost more than the data itself). The etcd keys are
    // distinct (the caller checked that they ascend). A key given twice by one contribution is found as it goes
    // in, and then the store is emptied again before readers can look, so a bad entry applies nothing.
    private ApplyResult LoadIntoEmpty(IReadOnlyList<EtcdKeyChange> listing)
    {
        int pairCount = 0;
        int complexCount = 0;
        foreach (var change in listing)
        {
            if (!change.KeepsCurrent && change.Contribution is { Count: > 0 } pairs)
            {
                ValidateShape(change);
                pairCount += pairs.Count;
                complexCount += pairs.Count > 1 ? 1 : 0;
            }
        }

        _lock.EnterWriteLock();
        try
        {
            _childKeys.Clear();
            _disputed = false;
            _slots.EnsureCapacity(pairCount);
            _contributors.EnsureCapacity(complexCount);
            foreach (var change in listing)
            {
                if (!change.KeepsCurrent && change.Contribution is { Count: > 0 } pairs)
                {
                    Contribute(change.EtcdKey, change.SegmentCount, change.IsOverride, pairs, batch: null);
                }
            }
        }
        catch (ArgumentException)
        {
            _slots.Clear();
            _contributors.Clear();
            throw;
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        Dictionary<(string Winner, string Loser), KeyConflict>? conflicts = null;
        if (_disputed)
        {
            foreach (var (key, slot) in _slots)
            {
                if (slot.Owner is ContenderSet set)
                {
                    set.AddConflicts(key, ref conflicts);
                }
            }
        }

        return _slots.Count == 0 && conflicts is null
            ? ApplyResult.Unchanged
            : new ApplyResult(_slots.Count > 0, conflicts is null ? [] : [.. conflicts.Values]);
    }
}
