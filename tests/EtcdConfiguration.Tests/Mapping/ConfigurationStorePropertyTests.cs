using CsCheck;
using EtcdConfiguration.Mapping;
using EtcdConfiguration.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using static EtcdConfiguration.Tests.Changes;

namespace EtcdConfiguration.Tests;

public sealed class ConfigurationStorePropertyTests
{
    private static readonly KeyMapper s_mapper = new("/p/");

    // Keys chosen to collide: blobs above keys, case twins, ':' inside segments, empty segments, the prefix key, and
    // temporary overrides (a key, a blob above keys, a case twin) that outrank all of those.
    private static readonly string[] s_etcdKeys =
    [
        "/p/", "/p/a", "/p/A", "/p/a/b", "/p/A/B", "/p/a:b", "/p/a//b", "/p/a/b/c", "/p/b", "/p/a/", "/p/c:d/e", "/p/c/d",
        "/p/.overrides/a/b", "/p/.overrides/a", "/p/.overrides/A/B",
    ];

    // null deletes; "1" at the prefix key does not decode, so the key keeps its last good values (a Keep change).
    private static readonly string?[] s_values =
    [
        null, "1", "2", "", "{\"b\":\"x\"}", "{\"B\":\"y\",\"c\":{\"d\":\"1\"}}", "{\"b\":{}}", "[1,2]", "{}",
        "{\"b\":null,\"a\":{\"b\":\"z\"}}", "{\"a:b\":\"w\",\"c\":[]}", "{\"A\":{\"B\":{\"C\":\"deep\"}}}",
    ];

    private static readonly Gen<(int Key, int Value)[]> s_batch = Gen.Select(Gen.Int[0, s_etcdKeys.Length - 1], Gen.Int[0, s_values.Length - 1]).Array[0, 5];

    [Fact]
    public void Applying_random_batches_gives_what_resolving_from_scratch_gives()
    {
        Gen.Select(s_batch.Array[1, 12], s_batch.Array[1, 4]).Sample(
            (batches, target) =>
            {
                using var store = new ConfigurationStore(s_mapper.Prefix);
                var model = new Dictionary<string, EtcdKeyChange>(StringComparer.Ordinal);
                var previous = Snapshot(store);
                foreach (var batch in batches)
                {
                    var changes = ToChanges(batch);
                    var result = store.Apply(changes);
                    foreach (var change in changes)
                    {
                        Record(model, change);
                    }

                    var now = Snapshot(store);
                    Pairs.Equal(Resolve(model.Values), now);
                    Assert.Equal(Pairs.Show(previous) != Pairs.Show(now), result.Changed);
                    Assert.Equal(Diff(previous, now), Show(result.Changes!));
                    AssertConflictsAreReal(result, model);
                    previous = now;
                }

                using var rebuilt = new ConfigurationStore(s_mapper.Prefix);
                rebuilt.ReplaceAll(model.Values);
                Pairs.Equal(previous, Snapshot(rebuilt));
                Assert.False(store.ReplaceAll(model.Values).Changed);

                // A re-list after missed events: the store lands exactly on the new listing.
                var listing = new Dictionary<string, EtcdKeyChange>(model, StringComparer.Ordinal);
                foreach (var batch in target)
                {
                    foreach (var change in ToChanges(batch))
                    {
                        Record(listing, change);
                    }
                }

                // Some listed keys hold values that do not decode: they come as Keep entries and keep what they had.
                bool Undecodable(string etcdKey) => etcdKey.Length % 2 == 0 && model.ContainsKey(etcdKey);
                var relist = store.ReplaceAll(
                    [.. listing.Values.Select(e => Undecodable(e.EtcdKey) ? EtcdKeyChange.Keep(e.EtcdKey) : e)]);
                var expected = Resolve(listing.Values.Select(e => Undecodable(e.EtcdKey) ? model[e.EtcdKey] : e));
                Pairs.Equal(expected, Snapshot(store));
                Assert.Equal(Pairs.Show(previous) != Pairs.Show(expected), relist.Changed);
                if (relist.Changes is { } listed)
                {
                    Assert.Equal(Diff(previous, expected), Show(listed));
                }
                else
                {
                    // Only the first load into an empty store lists nothing: everything it holds was added.
                    Assert.Empty(previous);
                }

                store.ReplaceAll([]);
                Assert.Equal(0, store.Count);
                Assert.Equal(0, store.TrackedEtcdKeyCount);
            },
            iter: 2000);
    }

    // None: the store scans; more than it scans for before sorting its keys: it looks them up.
    private static readonly int[] s_otherParentCounts = [0, 20];

    [Fact]
    public void Child_keys_are_those_the_memory_provider_gives_for_the_same_data()
    {
        string[] segments = ["a", "A", "b", "1", "10", "2", "", "é", "x y"];
        var segment = Gen.Int[0, segments.Length - 1].Select(i => segments[i]);
        var key = segment.Array[1, 3].Select(parts => string.Join(':', parts));
        var parent = Gen.Frequency((1, Gen.Const((string?)null)), (4, segment.Array[0, 2].Select(parts => (string?)string.Join(':', parts))));

        Gen.Select(key.Array[0, 12], parent, segment.Array[0, 3]).Sample(
            (keys, parentPath, earlier) =>
            {
                var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                foreach (string k in keys)
                {
                    data.TryAdd(k, "v");
                }

                var memory = new MemoryConfigurationProvider(new MemoryConfigurationSource { InitialData = data });
                var theirs = memory.GetChildKeys(earlier, parentPath).ToList();

                // First by a plain scan, then, after questions about many other parents, by the sorted keys.
                foreach (var otherParents in s_otherParentCounts)
                {
                    using var store = new ConfigurationStore(s_mapper.Prefix);
                    store.Apply([.. data.Select((pair, i) => new EtcdKeyChange($"/p/k{i}", 1, [pair]))]);
                    for (int p = 0; p < otherParents; p++)
                    {
                        _ = store.GetChildKeys([], $"other{p}").ToList();
                    }

                    var ours = store.GetChildKeys(earlier, parentPath).ToList();

                    // Keys equal under the comparer (case twins) may come in either order; everything else must match.
                    Assert.Equal(Canonical(theirs), Canonical(ours));
                    for (int i = 1; i < ours.Count; i++)
                    {
                        Assert.True(ConfigurationKeyComparer.Instance.Compare(ours[i - 1], ours[i]) <= 0);
                    }
                }
            },
            iter: 2000);
    }

    private static List<EtcdKeyChange> ToChanges((int Key, int Value)[] batch)
    {
        var changes = new List<EtcdKeyChange>();
        foreach (var (key, value) in batch)
        {
            string etcdKey = s_etcdKeys[key];
            if (s_values[value] is not { } text)
            {
                changes.Add(Delete(etcdKey));
            }
            else
            {
                changes.Add(TryPut(s_mapper, etcdKey, text, EtcdValueFormat.Auto, out var change) ? change : EtcdKeyChange.Keep(etcdKey));
            }
        }

        return changes;
    }

    private static void Record(Dictionary<string, EtcdKeyChange> model, EtcdKeyChange change)
    {
        if (change.KeepsCurrent)
        {
            return;
        }

        if (change.Contribution is { Count: > 0 })
        {
            model[change.EtcdKey] = change;
        }
        else
        {
            model.Remove(change.EtcdKey);
        }
    }

    private static void AssertConflictsAreReal(ApplyResult result, Dictionary<string, EtcdKeyChange> model)
    {
        foreach (var conflict in result.Conflicts)
        {
            var winner = model[conflict.WinningEtcdKey];
            var loser = model[conflict.LosingEtcdKey];
            Assert.Contains(winner.Contribution!, p => string.Equals(p.Key, conflict.ConfigurationKey, StringComparison.OrdinalIgnoreCase));
            Assert.Contains(loser.Contribution!, p => string.Equals(p.Key, conflict.ConfigurationKey, StringComparison.OrdinalIgnoreCase));
            Assert.Equal(winner.SegmentCount != loser.SegmentCount, conflict.WonBySegments);

            // An override hiding an ordinary key is no conflict; two overrides, or two ordinary keys, are.
            Assert.Equal(winner.IsOverride, loser.IsOverride);
        }
    }

    // What a change list must say: every key whose presence, spelling or value differs, old and new, in key order.
    private static string Diff(Dictionary<string, string?> before, Dictionary<string, string?> after)
    {
        var lines = new List<(string Key, string Line)>();
        var keys = new HashSet<string>(before.Keys, StringComparer.OrdinalIgnoreCase);
        keys.UnionWith(after.Keys);
        foreach (var key in keys)
        {
            var old = before.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase));
            var now = after.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase));
            if (old.Key != now.Key || old.Value != now.Value)
            {
                var shown = now.Key ?? old.Key;
                lines.Add((shown, $"{shown}: {old.Value ?? "<none>"} -> {now.Value ?? "<none>"}"));
            }
        }

        lines.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Key, b.Key));
        return string.Join("\n", lines.Select(l => l.Line));
    }

    private static string Show(IReadOnlyList<EtcdConfigurationChange> changes) =>
        string.Join("\n", changes.Select(c => $"{c.Key}: {c.OldValue ?? "<none>"} -> {c.NewValue ?? "<none>"}"));

    private static List<string> Canonical(IEnumerable<string> keys) =>
        [.. keys.Order(ConfigurationKeyComparer.Instance).ThenBy(k => k, StringComparer.Ordinal)];
}
