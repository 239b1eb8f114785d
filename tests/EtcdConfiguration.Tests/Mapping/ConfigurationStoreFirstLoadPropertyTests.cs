using CsCheck;
using EtcdConfiguration.Mapping;
using EtcdConfiguration.Store;
using static EtcdConfiguration.Tests.Changes;

namespace EtcdConfiguration.Tests;

/// <summary>
/// The first load into an empty store (a sorted listing, applied without a batch's before-images) must leave the
/// store exactly as the general path does: same view, same result, same conflicts, and the same behaviour after.
/// </summary>
public sealed class ConfigurationStoreFirstLoadPropertyTests
{
    private static readonly KeyMapper s_mapper = new("/p/");

    private static readonly string[] s_etcdKeys =
        ["/p/", "/p/A", "/p/A/B", "/p/a", "/p/a/", "/p/a//b", "/p/a/b", "/p/a/b/c", "/p/a:b", "/p/b", "/p/c/d", "/p/c:d/e"];

    // null leaves the key out of the listing; "1" at the prefix key does not decode (a Keep entry).
    private static readonly string?[] s_values =
    [
        null, "1", "2", "", "{\"b\":\"x\"}", "{\"B\":\"y\",\"c\":{\"d\":\"1\"}}", "{\"b\":{}}", "[1,2]", "{}",
        "{\"b\":null,\"a\":{\"b\":\"z\"}}", "{\"a:b\":\"w\",\"c\":[]}", "{\"A\":{\"B\":{\"C\":\"deep\"}}}",
    ];

    private static readonly Gen<int[]> s_listing = Gen.Int[0, s_values.Length - 1].Array[s_etcdKeys.Length];

    private static readonly Gen<(int Key, int Value)[]> s_batch =
        Gen.Select(Gen.Int[0, s_etcdKeys.Length - 1], Gen.Int[1, s_values.Length - 1]).Array[1, 5];

    [Fact]
    public void A_first_load_equals_applying_the_listing_to_an_empty_store()
    {
        Assert.True(s_etcdKeys.SequenceEqual(s_etcdKeys.Order(StringComparer.Ordinal)), "The listing must ascend, as etcd's does.");
        Gen.Select(s_listing, s_batch).Sample(
            (values, batch) =>
            {
                var listing = new List<EtcdKeyChange>();
                for (int i = 0; i < s_etcdKeys.Length; i++)
                {
                    if (s_values[values[i]] is { } text)
                    {
                        listing.Add(TryPut(s_mapper, s_etcdKeys[i], text, EtcdValueFormat.Auto, out var change) ? change : EtcdKeyChange.Keep(s_etcdKeys[i]));
                    }
                }

                using var loaded = new ConfigurationStore(s_mapper.Prefix);
                using var applied = new ConfigurationStore(s_mapper.Prefix);
                var first = loaded.ReplaceAll(listing);
                var general = applied.Apply(listing);

                Pairs.Equal(Snapshot(applied), Snapshot(loaded));
                Assert.Equal(general.Changed, first.Changed);
                Assert.Equal(general.Conflicts.ToHashSet(), first.Conflicts.ToHashSet());
                Assert.Equal(applied.TrackedEtcdKeyCount, loaded.TrackedEtcdKeyCount);

                // What the first load built must serve later changes just as well.
                var changes = batch.Select(c => TryPut(s_mapper, s_etcdKeys[c.Key], s_values[c.Value]!, EtcdValueFormat.Auto, out var change)
                    ? change
                    : EtcdKeyChange.Keep(s_etcdKeys[c.Key])).ToList();
                Assert.Equal(applied.Apply(changes).Changed, loaded.Apply(changes).Changed);
                Pairs.Equal(Snapshot(applied), Snapshot(loaded));
                Assert.Equal(applied.TrackedEtcdKeyCount, loaded.TrackedEtcdKeyCount);
            },
            iter: 2000);
    }

    [Fact]
    public void A_listing_that_repeats_a_key_still_loads_its_last_entry()
    {
        using var store = new ConfigurationStore(s_mapper.Prefix);
        Assert.True(TryPut(s_mapper, "/p/a", "1", EtcdValueFormat.Auto, out var older));
        Assert.True(TryPut(s_mapper, "/p/a", "2", EtcdValueFormat.Auto, out var newer));

        Assert.True(store.ReplaceAll([older, newer]).Changed);

        Pairs.Equal(new Dictionary<string, string?> { ["a"] = "2" }, Snapshot(store));
    }
}
