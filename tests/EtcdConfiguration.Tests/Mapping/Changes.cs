using System.Text;
using EtcdConfiguration.Mapping;
using EtcdConfiguration.Store;

namespace EtcdConfiguration.Tests;

/// <summary>Builds store changes the way the provider will: map the key, decode the value.</summary>
internal static class Changes
{
    public static readonly KeyMapper Mapper = new("/myapp/");

    public static EtcdKeyChange Put(string etcdKey, string value, EtcdValueFormat format = EtcdValueFormat.Auto)
    {
        Assert.True(TryPut(Mapper, etcdKey, value, format, out var change));
        return change;
    }

    public static bool TryPut(KeyMapper mapper, string etcdKey, string value, EtcdValueFormat format, out EtcdKeyChange change)
    {
        change = default;
        Assert.True(mapper.TryMap(Encoding.UTF8.GetBytes(etcdKey), out string path, out int segments, out bool isOverride, out _));
        if (!ValueDecoder.TryDecode(format, path, Encoding.UTF8.GetBytes(value), out var pairs, out _))
        {
            return false;
        }

        change = new EtcdKeyChange(etcdKey, segments, pairs, isOverride);
        return true;
    }

    public static EtcdKeyChange Delete(string etcdKey) => EtcdKeyChange.Delete(etcdKey);

    public static Dictionary<string, string?> Snapshot(ConfigurationStore store) => Pairs.ToDictionary(store.Snapshot());

    /// <summary>
    /// The reference resolution, from scratch: for every configuration key, an override beats every ordinary key,
    /// then the contributor with the most segments wins, then the ordinally greatest etcd key; the key is spelled
    /// the winner's way.
    /// </summary>
    public static Dictionary<string, string?> Resolve(IEnumerable<EtcdKeyChange> entries)
    {
        var best = new Dictionary<string, (EtcdKeyChange Source, string Key, string? Value)>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            foreach (var (key, value) in entry.Contribution ?? [])
            {
                if (!best.TryGetValue(key, out var current) || Outranks(entry, current.Source))
                {
                    best[key] = (entry, key, value);
                }
            }
        }

        return best.Values.ToDictionary(b => b.Key, b => b.Value, StringComparer.Ordinal);
    }

    private static bool Outranks(EtcdKeyChange a, EtcdKeyChange b) =>
        a.IsOverride != b.IsOverride ? a.IsOverride
        : a.SegmentCount != b.SegmentCount
            ? a.SegmentCount > b.SegmentCount
            : string.CompareOrdinal(a.EtcdKey, b.EtcdKey) > 0;
}
