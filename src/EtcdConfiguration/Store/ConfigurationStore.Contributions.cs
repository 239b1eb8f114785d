using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using EtcdConfiguration.Mapping;

namespace EtcdConfiguration.Store;

// One etcd key's contribution: checking it, finding what the key gives now, and taking its pairs out and in.
internal sealed partial class ConfigurationStore
{
    private const int StackKeyChars = 256;

    // Contributions are small (a JSON blob gives a handful of pairs): they are checked for repeats by a scan, which
    // allocates nothing, and only large ones through a set.
    private const int ScannedContribution = 8;

    private static void Validate(EtcdKeyChange change)
    {
        ValidateShape(change);
        var pairs = change.Contribution!;
        HashSet<string>? seen = pairs.Count > ScannedContribution ? new(pairs.Count, StringComparer.OrdinalIgnoreCase) : null;
        for (int i = 0; i < pairs.Count; i++)
        {
            if (seen is not null ? !seen.Add(pairs[i].Key) : AppearsBefore(pairs, i))
            {
                throw Repeated(change.EtcdKey, pairs[i].Key);
            }
        }
    }

    // What a contribution must be, repeats aside: a depth, and a key for every pair.
    private static void ValidateShape(EtcdKeyChange change)
    {
        if (change.SegmentCount < 0)
        {
            throw new ArgumentException($"The change of etcd key '{change.EtcdKey}' has a negative segment count.");
        }

        var pairs = change.Contribution!;
        for (int i = 0; i < pairs.Count; i++)
        {
            if (pairs[i].Key is null)
            {
                throw new ArgumentException($"The contribution of etcd key '{change.EtcdKey}' has a null configuration key.");
            }
        }
    }

    private static ArgumentException Repeated(string etcdKey, string key) =>
        new($"The contribution of etcd key '{etcdKey}' gives the configuration key '{key}' more than once.");

    private Current Find(string etcdKey)
    {
        if (_contributors.TryGetValue(etcdKey, out var contributor))
        {
            return new Current(contributor, null, null);
        }

        // Otherwise it can only be a plain key: its path is the rest of the key with '/' read as ':'.
        if (etcdKey.Length <= _prefix.Length
            || !etcdKey.StartsWith(_prefix, StringComparison.Ordinal)
            || etcdKey.AsSpan(_prefix.Length).Contains(Delimiter))
        {
            return default;
        }

        var rest = etcdKey.AsSpan(_prefix.Length);
        var path = rest.Length <= StackKeyChars ? stackalloc char[rest.Length] : new char[rest.Length];
        rest.Replace(path, '/', Delimiter);
        return _slotsBySpan.TryGetValue(path, out string? key, out var slot)
            && slot.Owner is null
            && path.SequenceEqual(key)
                ? new Current(null, key, slot.Value)
                : default;
    }

    private static bool AppearsBefore(IReadOnlyList<KeyValuePair<string, string?>> pairs, int index)
    {
        for (int j = 0; j < index; j++)
        {
            if (string.Equals(pairs[j].Key, pairs[index].Key, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private bool Matches(Current current, EtcdKeyChange change)
    {
        var pairs = change.Contribution!;
        if (current.SimpleKey is { } simpleKey)
        {
            return pairs.Count == 1
                && string.Equals(pairs[0].Key, simpleKey, StringComparison.Ordinal)
                && string.Equals(pairs[0].Value, current.SimpleValue, StringComparison.Ordinal)
                && change.SegmentCount == KeyMapper.CountSegments(simpleKey);
        }

        if (current.Complex is not { } contributor
            || contributor.SegmentCount != change.SegmentCount
            || contributor.Keys.Length != pairs.Count)
        {
            return false;
        }

        // The new keys are distinct and as many as the old ones, so finding each among the old ones is enough.
        foreach (var pair in pairs)
        {
            if (!TryGetPair(contributor, pair.Key, out string? key, out string? value)
                || !string.Equals(key, pair.Key, StringComparison.Ordinal)
                || !string.Equals(value, pair.Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private bool TryGetPair(Contributor contributor, string configurationKey, out string? key, out string? value)
    {
        key = null;
        value = null;
        if (!_slotsBySpan.TryGetValue(configurationKey, out string? slotKey, out var slot))
        {
            return false;
        }

        if (ReferenceEquals(slot.Owner, contributor))
        {
            key = slotKey;
            value = slot.Value;
            return true;
        }

        if (slot.Owner is ContenderSet set && set.TryFind(contributor, out var contender))
        {
            key = contender.Key;
            value = contender.Value;
            return true;
        }

        return false;
    }

    private void Withdraw(string etcdKey, StoreBatch batch)
    {
        var current = Find(etcdKey);
        if (current.SimpleKey is { } simpleKey)
        {
            batch.Touch(simpleKey, _slotsBySpan);
            _slots.Remove(simpleKey);
            return;
        }

        if (current.Complex is not { } contributor)
        {
            return;
        }

        _contributors.Remove(etcdKey);
        foreach (string key in contributor.Keys)
        {
            batch?.Touch(key, _slotsBySpan);
            bool found = _slotsBySpan.TryGetValue(key, out string? slotKey, out var slot);
            Debug.Assert(found, "Every key of a contributor has a slot.");
            if (ReferenceEquals(slot.Owner, contributor))
            {
                _slots.Remove(slotKey!);
            }
            else if (slot.Owner is ContenderSet set)
            {
                set.Remove(contributor);
                Settle(slotKey!, set);
            }
        }
    }

    private void Contribute(string etcdKey, int segmentCount, bool isOverride, IReadOnlyList<KeyValuePair<string, string?>> pairs, StoreBatch? batch)
    {
        if (pairs.Count == 1 && !isOverride && IsPlain(etcdKey, segmentCount, pairs[0].Key))
        {
            var (key, value) = pairs[0];
            batch?.Touch(key, _slotsBySpan);
            if (TryAddSlot(key, new Slot(value, null), out string? slotKey, out var slot))
            {
                return;
            }

            var disputing = new Contributor(etcdKey, segmentCount, [key]);
            _contributors.Add(etcdKey, disputing);
            batch?.Written.Add(disputing);
            Dispute(slotKey, slot, new Contender(disputing, key, value));
            return;
        }

        var keys = new string[pairs.Count];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = pairs[i].Key;
        }

        var contributor = new Contributor(etcdKey, segmentCount, keys, isOverride);
        _contributors.Add(etcdKey, contributor);
        batch?.Written.Add(contributor);
        for (int i = 0; i < keys.Length; i++)
        {
            var (key, value) = pairs[i];
            batch?.Touch(key, _slotsBySpan);
            if (!TryAddSlot(key, new Slot(value, contributor), out string? slotKey, out var slot))
            {
                // The first load checks for repeats only here, as the pairs go in.
                if (ReferenceEquals(slot.Owner, contributor) || (slot.Owner is ContenderSet set && set.TryFind(contributor, out _)))
                {
                    throw Repeated(etcdKey, key);
                }

                Dispute(slotKey, slot, new Contender(contributor, key, value));
            }
        }
    }

    // Adds a configuration key with one hash lookup; when it is already there, gives its spelling and slot instead.
    private bool TryAddSlot(string key, Slot slot, [NotNullWhen(false)] out string? slotKey, out Slot existing)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_slots, key, out bool exists);
        if (!exists)
        {
            entry = slot;
            slotKey = null;
            existing = default;
            return true;
        }

        existing = entry;
        return _slotsBySpan.TryGetValue(key, out slotKey, out _) ? false : throw new UnreachableException();
    }

    // Readers see the winner's spelling of the key, so the result does not depend on the order of arrival.
    private void Write(string slotKey, string key, Slot slot)
    {
        if (string.Equals(slotKey, key, StringComparison.Ordinal))
        {
            _slots[slotKey] = slot;
        }
        else
        {
            _slots.Remove(slotKey);
            _slots.Add(key, slot);
        }
    }

    // A plain etcd key gives one pair, at the path that is its rest with '/' read as ':', with no empty segment
    // lost on the way: then the etcd key can be rebuilt from the path and need not be stored.
    private bool IsPlain(string etcdKey, int segmentCount, string path)
    {
        if (path.Length == 0
            || etcdKey.Length != _prefix.Length + path.Length
            || segmentCount != KeyMapper.CountSegments(path)
            || !etcdKey.StartsWith(_prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = etcdKey.AsSpan(_prefix.Length);
        for (int i = 0; i < path.Length; i++)
        {
            char p = path[i];
            if (p == '/' || rest[i] != (p == Delimiter ? '/' : p))
            {
                return false;
            }
        }

        return true;
    }

    private string SimpleEtcdKey(string path) =>
        string.Create(_prefix.Length + path.Length, (_prefix, path), static (chars, state) =>
        {
            state._prefix.CopyTo(chars);
            state.path.AsSpan().Replace(chars[state._prefix.Length..], Delimiter, '/');
        });

    // An etcd key's contribution as the store holds it now: one of Complex or SimpleKey, or neither.
    private readonly record struct Current(Contributor? Complex, string? SimpleKey, string? SimpleValue)
    {
        public bool IsNone => Complex is null && SimpleKey is null;
    }
}
