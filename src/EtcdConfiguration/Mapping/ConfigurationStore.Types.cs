namespace EtcdConfiguration;

internal sealed partial class ConfigurationStore
{
    // What readers find under a configuration key. Owner says who gave the value:
    //  - null: the only contributor is the etcd key whose path is this very key, written the plain way
    //    (prefix + path with ':' as '/'), giving just this one pair; nothing else is stored for it;
    //  - a Contributor: the only contributor, registered in _contributors;
    //  - a ContenderSet: several contributors, all registered; Value is the winner's.
    private readonly record struct Slot(string? Value, object? Owner);

    // An etcd key that is stored explicitly: it gives several pairs (a JSON blob), or its path is not the plain
    // rewrite of its key, or it takes part in a conflict. Its values live in the slots (or contender sets).
    private sealed class Contributor(string etcdKey, int segmentCount, string[] keys)
    {
        public string EtcdKey { get; } = etcdKey;

        public int SegmentCount { get; } = segmentCount;

        public string[] Keys { get; } = keys;

        public bool Outranks(Contributor other) =>
            SegmentCount != other.SegmentCount
                ? SegmentCount > other.SegmentCount
                : string.CompareOrdinal(EtcdKey, other.EtcdKey) > 0;
    }

    // One contributor's pair for a disputed configuration key, with the key spelled its way.
    private readonly record struct Contender(Contributor Source, string Key, string? Value);

    // The contributors of one disputed configuration key; there are rarely more than two.
    private sealed class ContenderSet
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

    // What the readers saw under a configuration key before the batch first touched it.
    private readonly record struct SlotImage(bool Exists, string? Key, string? Value);

    // The bookkeeping of one Apply: the first image of every touched key, and the contributors it wrote.
    private sealed class Batch
    {
        public Dictionary<string, SlotImage> Before { get; } = new(StringComparer.OrdinalIgnoreCase);

        public HashSet<Contributor> Written { get; } = [];
    }

    // An etcd key's contribution as the store holds it now: one of Complex or SimpleKey, or neither.
    private readonly record struct Current(Contributor? Complex, string? SimpleKey, string? SimpleValue)
    {
        public bool IsNone => Complex is null && SimpleKey is null;
    }
}
