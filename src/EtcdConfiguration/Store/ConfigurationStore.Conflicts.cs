using EtcdConfiguration.Mapping;

namespace EtcdConfiguration.Store;

// Several etcd keys giving one configuration key (compared case-insensitively): who wins, and who shows when one
// leaves. The ranking is Contributor.Outranks; what is reported is KeyConflict.
internal sealed partial class ConfigurationStore
{
    // A second (or further) contributor arrives for a configuration key.
    private void Dispute(string slotKey, Slot slot, Contender arriving)
    {
        ContenderSet set;
        switch (slot.Owner)
        {
            case ContenderSet existing:
                set = existing;
                break;
            case Contributor sole:
                set = new ContenderSet(new Contender(sole, slotKey, slot.Value));
                break;
            default:
                // A plain key in a conflict must be findable by its etcd key, so it is registered from now on.
                var plain = new Contributor(SimpleEtcdKey(slotKey), KeyMapper.CountSegments(slotKey), [slotKey]);
                _contributors.Add(plain.EtcdKey, plain);
                set = new ContenderSet(new Contender(plain, slotKey, slot.Value));
                break;
        }

        _disputed = true;
        set.Add(arriving);
        var winner = set.Winner();
        Write(slotKey, winner.Key, new Slot(winner.Value, set));
    }

    // A contributor left a disputed key: show the best remaining one, and store a lone plain key plainly again.
    private void Settle(string slotKey, ContenderSet set)
    {
        var winner = set.Winner();
        object? owner = set;
        if (set.Count == 1)
        {
            var only = winner.Source;
            owner = only;
            if (only.Keys.Length == 1 && IsPlain(only.EtcdKey, only.SegmentCount, only.Keys[0]))
            {
                _contributors.Remove(only.EtcdKey);
                owner = null;
            }
        }

        Write(slotKey, winner.Key, new Slot(winner.Value, owner));
    }

    /// <summary>
    /// What readers would find under <paramref name="key"/> once the etcd keys in <paramref name="withdrawn"/> give
    /// nothing: the value of the best contender left (an ordinary key under an expired override, a blob under a
    /// deleted deeper key). False when no other etcd key gives the key. For the validation gate's candidate view.
    /// </summary>
    public bool TryGetWithout(string key, IReadOnlySet<string> withdrawn, out string? value)
    {
        value = null;
        _lock.EnterReadLock();
        try
        {
            if (!_slots.TryGetValue(key, out var slot) || slot.Owner is not ContenderSet set)
            {
                return false;
            }

            Contender? best = null;
            foreach (var contender in set.Members)
            {
                if (!withdrawn.Contains(contender.Source.EtcdKey) && (best is null || contender.Source.Outranks(best.Value.Source)))
                {
                    best = contender;
                }
            }

            value = best?.Value;
            return best is not null;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }
}
