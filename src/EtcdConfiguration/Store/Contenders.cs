namespace EtcdConfiguration.Store;

/// <summary>
/// An etcd key that is stored explicitly: it gives several pairs (a JSON blob), or its path is not the plain
/// rewrite of its key (every temporary override), or it takes part in a conflict. Its values live in the slots
/// (or contender sets).
/// </summary>
internal sealed class Contributor(string etcdKey, int segmentCount, string[] keys, bool isOverride = false)
{
    public string EtcdKey { get; } = etcdKey;

    public int SegmentCount { get; } = segmentCount;

    public string[] Keys { get; } = keys;

    /// <summary>Whether the key is a temporary override (see <see cref="Mapping.KeyMapper.OverridesSegment"/>).</summary>
    public bool IsOverride { get; } = isOverride;

    /// <summary>
    /// An override outranks every ordinary key, whatever their depth or order; otherwise the rule of
    /// <see cref="KeyConflict"/>: more segments win, then the ordinally greater etcd key.
    /// </summary>
    public bool Outranks(Contributor other) =>
        IsOverride != other.IsOverride ? IsOverride
        : SegmentCount != other.SegmentCount ? SegmentCount > other.SegmentCount
        : string.CompareOrdinal(EtcdKey, other.EtcdKey) > 0;
}

/// <summary>One contributor's pair for a disputed configuration key, with the key spelled its way.</summary>
internal readonly record struct Contender(Contributor Source, string Key, string? Value);

/// <summary>The contributors of one disputed configuration key; there are rarely more than two.</summary>
internal sealed class ContenderSet
{
    private readonly List<Contender> _contenders = new(2);

    public ContenderSet(Contender first) => _contenders.Add(first);

    public int Count => _contenders.Count;

    public IReadOnlyList<Contender> Members => _contenders;

    public void Add(Contender contender) => _contenders.Add(contender);

    public void Remove(Contributor source) => _contenders.RemoveAt(IndexOf(source));

    public bool TryFind(Contributor source, out Contender contender)
    {
        int at = IndexOf(source);
        contender = at >= 0 ? _contenders[at] : default;
        return at >= 0;
    }

    public Contender Winner()
    {
        var winner = _contenders[0];
        for (int i = 1; i < _contenders.Count; i++)
        {
            if (_contenders[i].Source.Outranks(winner.Source))
            {
                winner = _contenders[i];
            }
        }

        return winner;
    }

    /// <summary>
    /// The winner against each loser under <paramref name="slotKey"/>, counted once per pair of etcd keys. Overrides
    /// and ordinary keys are ranked apart: an override hiding an ordinary key is what it is for, not a conflict.
    /// </summary>
    public void AddConflicts(string slotKey, ref Dictionary<(string Winner, string Loser), KeyConflict>? conflicts)
    {
        AddConflicts(slotKey, overrides: false, ref conflicts);
        AddConflicts(slotKey, overrides: true, ref conflicts);
    }

    private void AddConflicts(string slotKey, bool overrides, ref Dictionary<(string Winner, string Loser), KeyConflict>? conflicts)
    {
        Contributor? winner = null;
        foreach (var contender in _contenders)
        {
            if (contender.Source.IsOverride == overrides && (winner is null || contender.Source.Outranks(winner)))
            {
                winner = contender.Source;
            }
        }

        foreach (var contender in _contenders)
        {
            var loser = contender.Source;
            if (winner is null || loser.IsOverride != overrides || ReferenceEquals(loser, winner))
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

    private int IndexOf(Contributor source)
    {
        for (int i = 0; i < _contenders.Count; i++)
        {
            if (ReferenceEquals(_contenders[i].Source, source))
            {
                return i;
            }
        }

        return -1;
    }
}
