using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration;

internal sealed partial class ConfigurationStore
{
    private const int StackKeyChars = 256;

    // Contributions are small (a JSON blob gives a handful of pairs): they are checked for repeats by a scan, which
    // allocates nothing, and only large ones through a set.
    private const int ScannedContribution = 8;

    // Parent paths whose child keys are remembered at once; past this the memory starts afresh.
    private const int ChildKeyCacheLimit = 256;

    // Parents asked about by plain scans after a change of the key set, before the keys are sorted for lookups.
    private const int ScansBeforeSorting = 16;

    private static readonly char s_delimiter = ConfigurationPath.KeyDelimiter[0];

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

        var batch = new Batch();
        _lock.EnterWriteLock();
        try
        {
            foreach (var change in effective)
            {
                Withdraw(change.EtcdKey, batch);
                if (change.Contribution is { Count: > 0 } pairs)
                {
                    Contribute(change.EtcdKey, change.SegmentCount, pairs, batch);
                }
            }

            if (ChangesKeySet(batch))
            {
                ForgetChildKeys();
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        return Summarise(batch);
    }

    // The first load into an empty store: there is nothing to withdraw or compare with, so the pairs go straight in
    // without the before-images a batch keeps (at startup those cost more than the data itself). The etcd keys are
    // distinct (the caller checked that they ascend). A key given twice by one contribution is found as it goes
    // in, and then the store is emptied again before readers can look, so a bad entry applies nothing.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
            ForgetChildKeys();
            _disputed = false;
            _slots.EnsureCapacity(pairCount);
            _contributors.EnsureCapacity(complexCount);
            foreach (var change in listing)
            {
                if (!change.KeepsCurrent && change.Contribution is { Count: > 0 } pairs)
                {
                    Contribute(change.EtcdKey, change.SegmentCount, pairs, batch: null);
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
                    AddConflicts(key, set, ref conflicts);
                }
            }
        }

        return _slots.Count == 0 && conflicts is null
            ? ApplyResult.Unchanged
            : new ApplyResult(_slots.Count > 0, conflicts is null ? [] : [.. conflicts.Values]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
            || etcdKey.AsSpan(_prefix.Length).Contains(s_delimiter))
        {
            return default;
        }

        var rest = etcdKey.AsSpan(_prefix.Length);
        var path = rest.Length <= StackKeyChars ? stackalloc char[rest.Length] : new char[rest.Length];
        rest.Replace(path, '/', s_delimiter);
        return _slotsBySpan.TryGetValue(path, out string? key, out var slot)
            && slot.Owner is null
            && path.SequenceEqual(key)
                ? new Current(null, key, slot.Value)
                : default;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    private void Withdraw(string etcdKey, Batch batch)
    {
        var current = Find(etcdKey);
        if (current.SimpleKey is { } simpleKey)
        {
            Touch(simpleKey, batch);
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
            Touch(key, batch);
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Contribute(string etcdKey, int segmentCount, IReadOnlyList<KeyValuePair<string, string?>> pairs, Batch? batch)
    {
        if (pairs.Count == 1 && IsPlain(etcdKey, segmentCount, pairs[0].Key))
        {
            var (key, value) = pairs[0];
            Touch(key, batch);
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

        var contributor = new Contributor(etcdKey, segmentCount, keys);
        _contributors.Add(etcdKey, contributor);
        batch?.Written.Add(contributor);
        for (int i = 0; i < keys.Length; i++)
        {
            var (key, value) = pairs[i];
            Touch(key, batch);
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Touch(string key, Batch? batch)
    {
        if (batch is not null && !batch.Before.ContainsKey(key))
        {
            batch.Before.Add(
                key,
                _slotsBySpan.TryGetValue(key, out string? slotKey, out var slot)
                    ? new SlotImage(true, slotKey, slot.Value)
                    : new SlotImage(false, null, null));
        }
    }

    // Whether the batch added, removed or respelled a configuration key (a change of values only does not).
    private bool ChangesKeySet(Batch batch)
    {
        foreach (var (key, before) in batch.Before)
        {
            bool exists = _slotsBySpan.TryGetValue(key, out string? slotKey, out _);
            if (exists != before.Exists || (exists && !string.Equals(slotKey, before.Key, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    private ApplyResult Summarise(Batch batch)
    {
        bool changed = false;
        Dictionary<(string Winner, string Loser), KeyConflict>? conflicts = null;
        foreach (var (key, before) in batch.Before)
        {
            bool exists = _slotsBySpan.TryGetValue(key, out string? slotKey, out var slot);
            changed |= exists != before.Exists
                || (exists
                    && (!string.Equals(slotKey, before.Key, StringComparison.Ordinal)
                        || !string.Equals(slot.Value, before.Value, StringComparison.Ordinal)));

            if (exists && slot.Owner is ContenderSet set && set.Members.Any(c => batch.Written.Contains(c.Source)))
            {
                AddConflicts(slotKey!, set, ref conflicts);
            }
        }

        return !changed && conflicts is null
            ? ApplyResult.Unchanged
            : new ApplyResult(changed, conflicts is null ? [] : [.. conflicts.Values]);
    }

    // One disputed configuration key: the winner against each loser, counted once per pair of etcd keys.
    private static void AddConflicts(string slotKey, ContenderSet set, ref Dictionary<(string Winner, string Loser), KeyConflict>? conflicts)
    {
        var winner = set.Winner().Source;
        foreach (var contender in set.Members)
        {
            var loser = contender.Source;
            if (ReferenceEquals(loser, winner))
            {
                continue;
            }

            conflicts ??= [];
            var pair = (winner.EtcdKey, loser.EtcdKey);
            conflicts[pair] = conflicts.TryGetValue(pair, out var known)
                ? known with { KeyCount = known.KeyCount + 1 }
                : new KeyConflict(slotKey, winner.EtcdKey, loser.EtcdKey, 1, winner.SegmentCount != loser.SegmentCount);
        }
    }

    // A plain etcd key gives one pair, at the path that is its rest with '/' read as ':', with no empty segment
    // lost on the way: then the etcd key can be rebuilt from the path and need not be stored.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
            if (p == '/' || rest[i] != (p == s_delimiter ? '/' : p))
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
            state.path.AsSpan().Replace(chars[state._prefix.Length..], s_delimiter, '/');
        });
}
