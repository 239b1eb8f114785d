using EtcdConfiguration.Mapping;
using EtcdConfiguration.Store;

using static EtcdConfiguration.Tests.Changes;

namespace EtcdConfiguration.Tests;

public sealed class ConfigurationStoreTests
{
    [Fact]
    public void Plain_keys_are_read_case_insensitively_and_cost_no_tracking()
    {
        using var store = new ConfigurationStore(Mapper.Prefix);

        var result = store.Apply([Put("/myapp/Db/Host", "h"), Put("/myapp/Name", "n")]);

        Assert.True(result.Changed);
        Assert.Empty(result.Conflicts);
        Assert.True(store.TryGet("db:HOST", out string? host));
        Assert.Equal("h", host);
        Assert.False(store.TryGet("Db", out _));
        Assert.Equal(2, store.Count);
        Assert.Equal(0, store.TrackedEtcdKeyCount);
    }

    [Fact]
    public void A_blob_at_the_prefix_key_is_flattened_at_the_root()
    {
        using var store = new ConfigurationStore(Mapper.Prefix);

        store.Apply([Put("/myapp/", """{"Logging":{"LogLevel":{"Default":"Warning"}},"Hosts":["a","b"]}""")]);

        Pairs.Equal(
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning", ["Hosts:0"] = "a", ["Hosts:1"] = "b" },
            Snapshot(store));
    }

    public static TheoryData<bool> BlobFirst => [true, false];

    [Theory]
    [MemberData(nameof(BlobFirst))]
    public void An_override_beats_every_ordinary_key_without_a_conflict_and_its_removal_shows_them_again(bool overrideFirst)
    {
        using var store = new ConfigurationStore(Mapper.Prefix);
        var ordinary = new[] { Put("/myapp/Db", """{"Host":"from-blob","Port":"5432"}"""), Put("/myapp/Db/Host", "from-key") };
        var overriding = Put("/myapp/.overrides/Db", """{"Host":"from-override","User":"op"}""");
        Assert.True(overriding.IsOverride);

        var first = store.Apply(overrideFirst ? [overriding] : ordinary);
        var second = store.Apply(overrideFirst ? ordinary : [overriding]);

        Pairs.Equal(
            new Dictionary<string, string?> { ["Db:Host"] = "from-override", ["Db:Port"] = "5432", ["Db:User"] = "op" },
            Snapshot(store));
        Assert.DoesNotContain((overrideFirst ? first : second).Conflicts, c => c.WinningEtcdKey.Contains(".overrides", StringComparison.Ordinal));
        Assert.Single((overrideFirst ? second : first).Conflicts, c => c.WinningEtcdKey == "/myapp/Db/Host");

        var removed = store.Apply([Delete("/myapp/.overrides/Db")]);

        Pairs.Equal(new Dictionary<string, string?> { ["Db:Host"] = "from-key", ["Db:Port"] = "5432" }, Snapshot(store));
        Assert.Equal(
            ["Db:Host: from-override -> from-key", "Db:User: op -> "],
            removed.Changes!.Select(c => $"{c.Key}: {c.OldValue} -> {c.NewValue}"));
        Assert.Empty(removed.Conflicts);
    }

    [Fact]
    public void A_change_list_names_each_changed_key_once_with_its_first_and_last_value()
    {
        using var store = new ConfigurationStore(Mapper.Prefix);
        store.Apply([Put("/myapp/A", "1"), Put("/myapp/B", "2"), Put("/myapp/Doc", """{"X":"x","Y":"y"}""")]);

        var result = store.Apply(
        [
            Put("/myapp/A", "10"), Put("/myapp/A", "11"), Delete("/myapp/B"), Put("/myapp/C", "3"),
            Put("/myapp/Doc", """{"X":"x","Y":"y2"}"""), Put("/myapp/B", "2"),
        ]);

        Assert.Equal(
            ["A: 1 -> 11", "C:  -> 3", "Doc:Y: y -> y2"],
            result.Changes!.Select(c => $"{c.Key}: {c.OldValue} -> {c.NewValue}"));
    }

    [Theory]
    [MemberData(nameof(BlobFirst))]
    public void A_key_with_more_segments_beats_a_blob_whatever_the_order(bool blobFirst)
    {
        using var store = new ConfigurationStore(Mapper.Prefix);
        var blob = Put("/myapp/Db", """{"Host":"from-blob","Port":"5432"}""");
        var key = Put("/myapp/Db/Host", "from-key");

        var first = store.Apply([blobFirst ? blob : key]);
        var second = store.Apply([blobFirst ? key : blob]);

        Assert.Empty(first.Conflicts);
        Assert.True(second.Changed);
        var conflict = Assert.Single(second.Conflicts);
        Assert.Equal(new KeyConflict("Db:Host", "/myapp/Db/Host", "/myapp/Db", 1, WonBySegments: true), conflict);
        Assert.Contains("'/myapp/Db/Host'", conflict.Message, StringComparison.Ordinal);
        Assert.Contains("'/myapp/Db'", conflict.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("from-", conflict.Message, StringComparison.Ordinal);
        Pairs.Equal(new Dictionary<string, string?> { ["Db:Host"] = "from-key", ["Db:Port"] = "5432" }, Snapshot(store));
    }

    [Fact]
    public void Removing_the_winner_reveals_the_loser_and_removing_the_loser_changes_nothing_visible()
    {
        using var store = new ConfigurationStore(Mapper.Prefix);
        store.Apply([Put("/myapp/Db", """{"Host":"from-blob"}"""), Put("/myapp/Db/Host", "from-key")]);

        var removeWinner = store.Apply([Delete("/myapp/Db/Host")]);

        Assert.True(removeWinner.Changed);
        Assert.Empty(removeWinner.Conflicts);
        Pairs.Equal(new Dictionary<string, string?> { ["Db:Host"] = "from-blob" }, Snapshot(store));

        store.Apply([Put("/myapp/Db/Host", "from-key")]);
        var removeLoser = store.Apply([Delete("/myapp/Db")]);

        Assert.False(removeLoser.Changed);
        Pairs.Equal(new Dictionary<string, string?> { ["Db:Host"] = "from-key" }, Snapshot(store));
        Assert.Equal(0, store.TrackedEtcdKeyCount);
    }

    [Fact]
    public void Keys_differing_only_in_case_conflict_and_the_ordinally_greater_wins_with_its_spelling()
    {
        using var store = new ConfigurationStore(Mapper.Prefix);

        var result = store.Apply([Put("/myapp/foo", "lower"), Put("/myapp/Foo", "upper")]);

        Assert.Equal(new KeyConflict("foo", "/myapp/foo", "/myapp/Foo", 1, WonBySegments: false), Assert.Single(result.Conflicts));
        Pairs.Equal(new Dictionary<string, string?> { ["foo"] = "lower" }, Snapshot(store));

        var reveal = store.Apply([Delete("/myapp/foo")]);

        Assert.True(reveal.Changed);
        Pairs.Equal(new Dictionary<string, string?> { ["Foo"] = "upper" }, Snapshot(store));
        Assert.Equal(0, store.TrackedEtcdKeyCount);
    }

    [Fact]
    public void A_respelled_key_with_the_same_value_is_a_change()
    {
        using var store = new ConfigurationStore(Mapper.Prefix);
        store.Apply([Put("/myapp/Foo", "same")]);

        var result = store.Apply([Delete("/myapp/Foo"), Put("/myapp/foo", "same")]);

        Assert.True(result.Changed);
        Pairs.Equal(new Dictionary<string, string?> { ["foo"] = "same" }, Snapshot(store));
    }

    [Fact]
    public void Conflicts_between_two_blobs_are_reported_once_per_pair_of_keys()
    {
        using var store = new ConfigurationStore(Mapper.Prefix);

        var result = store.Apply(
        [
            Put("/myapp/", """{"Db":{"Host":"root","Port":"1","User":"u"}}"""),
            Put("/myapp/Db", """{"Host":"db","Port":"2"}"""),
        ]);

        var conflict = Assert.Single(result.Conflicts);
        Assert.Equal("/myapp/Db", conflict.WinningEtcdKey);
        Assert.Equal("/myapp/", conflict.LosingEtcdKey);
        Assert.Equal(2, conflict.KeyCount);
        Assert.Contains("(and 1 more)", conflict.Message, StringComparison.Ordinal);
        Pairs.Equal(new Dictionary<string, string?> { ["Db:Host"] = "db", ["Db:Port"] = "2", ["Db:User"] = "u" }, Snapshot(store));
    }

    [Fact]
    public void Writing_the_same_values_again_is_unchanged()
    {
        using var store = new ConfigurationStore(Mapper.Prefix);
        store.Apply([Put("/myapp/A", "1"), Put("/myapp/B", """{"x":1,"y":[true]}""")]);

        Assert.Same(ApplyResult.Unchanged, store.Apply([Put("/myapp/A", "1")]));
        Assert.Same(ApplyResult.Unchanged, store.Apply([Put("/myapp/B", """ { "y" : [ true ], "x" : 1 } """)]));
        Assert.Same(ApplyResult.Unchanged, store.Apply([Delete("/myapp/Missing")]));
        Assert.Same(ApplyResult.Unchanged, store.Apply([]));
    }

    [Fact]
    public void A_hidden_loser_changing_is_not_a_visible_change()
    {
        using var store = new ConfigurationStore(Mapper.Prefix);
        store.Apply([Put("/myapp/Db", """{"Host":"old"}"""), Put("/myapp/Db/Host", "key")]);

        var result = store.Apply([Put("/myapp/Db", """{"Host":"new"}""")]);

        Assert.False(result.Changed);
        Assert.Single(result.Conflicts);
        Assert.Equal("key", Snapshot(store)["Db:Host"]);
        store.Apply([Delete("/myapp/Db/Host")]);
        Assert.Equal("new", Snapshot(store)["Db:Host"]);
    }

    [Fact]
    public void A_batch_that_puts_and_then_restores_a_value_is_unchanged()
    {
        using var store = new ConfigurationStore(Mapper.Prefix);
        store.Apply([Put("/myapp/A", "1")]);

        var result = store.Apply([Put("/myapp/A", "2"), Put("/myapp/A", "1")]);

        Assert.False(result.Changed);
    }

    [Fact]
    public void The_last_change_of_a_key_in_a_batch_counts()
    {
        using var store = new ConfigurationStore(Mapper.Prefix);

        store.Apply([Put("/myapp/A", "1"), Delete("/myapp/A"), Put("/myapp/B", "1"), Put("/myapp/B", "2")]);

        Pairs.Equal(new Dictionary<string, string?> { ["B"] = "2" }, Snapshot(store));
    }

    [Fact]
    public void Replace_all_applies_only_the_difference_deletes_included()
    {
        using var store = new ConfigurationStore(Mapper.Prefix);
        store.Apply([Put("/myapp/Gone", "1"), Put("/myapp/Same", "2"), Put("/myapp/Changed", "3"), Put("/myapp/Blob", """{"a":1}""")]);

        var result = store.ReplaceAll([Put("/myapp/Same", "2"), Put("/myapp/Changed", "33"), Put("/myapp/New", "4"), Put("/myapp/Blob", """{"b":2}""")]);

        Assert.True(result.Changed);
        Pairs.Equal(
            new Dictionary<string, string?> { ["Same"] = "2", ["Changed"] = "33", ["New"] = "4", ["Blob:b"] = "2" },
            Snapshot(store));
        Assert.Same(ApplyResult.Unchanged, store.ReplaceAll([Put("/myapp/Same", "2"), Put("/myapp/Changed", "33"), Put("/myapp/New", "4"), Put("/myapp/Blob", """{"b":2}""")]));

        store.ReplaceAll([]);
        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.TrackedEtcdKeyCount);
    }

    [Fact]
    public void A_key_whose_new_value_does_not_decode_keeps_its_last_good_values()
    {
        using var store = new ConfigurationStore(Mapper.Prefix);
        store.Apply([Put("/myapp/Blob", """{"a":1}"""), Put("/myapp/Plain", "p")]);

        Assert.Same(ApplyResult.Unchanged, store.Apply([EtcdKeyChange.Keep("/myapp/Blob")]));
        store.Apply([Put("/myapp/Plain", "new"), EtcdKeyChange.Keep("/myapp/Plain")]);
        var relist = store.ReplaceAll([EtcdKeyChange.Keep("/myapp/Blob"), EtcdKeyChange.Keep("/myapp/Plain"), Put("/myapp/Other", "o")]);

        Assert.True(relist.Changed);
        Pairs.Equal(new Dictionary<string, string?> { ["Blob:a"] = "1", ["Plain"] = "new", ["Other"] = "o" }, Snapshot(store));

        store.ReplaceAll([EtcdKeyChange.Keep("/myapp/Never")]);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void A_contribution_with_a_key_twice_is_refused_and_nothing_is_applied()
    {
        using var store = new ConfigurationStore(Mapper.Prefix);
        var bad = new EtcdKeyChange("/myapp/X", 1, [new("X:a", "1"), new("x:A", "2")]);

        Assert.Throws<ArgumentException>(() => store.Apply([Put("/myapp/Good", "1"), bad]));
        Assert.Equal(0, store.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_first_load_with_a_key_given_twice_by_one_contribution_is_refused_and_leaves_the_store_empty(bool disputed)
    {
        using var store = new ConfigurationStore(Mapper.Prefix);
        var bad = new EtcdKeyChange("/myapp/X", 1, [new("X:a", "1"), new("X:b", "2"), new("x:A", "3")]);
        // The prefix key's blob, listed first (listings ascend), gives X:a too: the repeat arrives at a disputed key.
        EtcdKeyChange[] listing = disputed
            ? [Put("/myapp/", """{"X":{"a":"0"}}"""), Put("/myapp/Good", "1"), bad]
            : [Put("/myapp/Good", "1"), bad];

        var refused = Assert.Throws<ArgumentException>(() => store.ReplaceAll(listing));

        Assert.Contains("'/myapp/X'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.TrackedEtcdKeyCount);
        store.ReplaceAll([Put("/myapp/Good", "2")]);
        Pairs.Equal(new Dictionary<string, string?> { ["Good"] = "2" }, Snapshot(store));
    }

    [Fact]
    public void Keys_whose_path_is_not_a_plain_rewrite_are_tracked_and_deleted_correctly()
    {
        using var store = new ConfigurationStore(Mapper.Prefix);
        store.Apply([Put("/myapp/a//b/", "1"), Put("/myapp/c:d", "2"), Put("/myapp/e/f", "3")]);

        Assert.Equal(2, store.TrackedEtcdKeyCount);
        Pairs.Equal(new Dictionary<string, string?> { ["a:b"] = "1", ["c:d"] = "2", ["e:f"] = "3" }, Snapshot(store));

        store.Apply([Delete("/myapp/a//b/"), Delete("/myapp/c:d"), Delete("/myapp/e/f")]);

        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.TrackedEtcdKeyCount);
    }

    [Fact]
    public void Child_keys_follow_the_configuration_provider_rules()
    {
        using var store = new ConfigurationStore(Mapper.Prefix);
        store.Apply([Put("/myapp/", """{"a":{"b":1,"c":2,"10":3,"9":4},"A":"x","z":{}}""")]);

        Assert.Equal(["9", "10", "b", "c"], store.GetChildKeys([], "a"));
        Assert.Equal(["9", "10", "b", "c", "d"], store.GetChildKeys(["d"], "A"));
        Assert.Equal(["a", "a", "a", "a", "a", "z"], store.GetChildKeys([], null).Select(k => k.ToLowerInvariant()));
        Assert.Empty(store.GetChildKeys([], "missing"));
    }

    [Fact]
    public void Readers_never_see_half_a_batch()
    {
        using var store = new ConfigurationStore(Mapper.Prefix);
        store.Apply([Put("/myapp/A", "0"), Put("/myapp/B", "0")]);
        const int Batches = 20_000;
        using var firstRead = new ManualResetEventSlim();
        bool writerDone = false;
        long reads = 0;
        string? failure = null;

        // The reader reads at least once, and the writer starts only after that first read, so the reader is
        // running when the writes start however the two threads are scheduled.
        var reader = new Thread(() =>
        {
            do
            {
                int a1 = Read(store, "A"), b1 = Read(store, "B");
                int b2 = Read(store, "B"), a2 = Read(store, "A");
                var snapshot = Snapshot(store);
                if (b1 < a1 || a2 < b2 || snapshot["A"] != snapshot["B"])
                {
                    failure = $"A then B: {a1}, {b1}; B then A: {b2}, {a2}; snapshot: {snapshot["A"]}, {snapshot["B"]}";
                }

                reads++;
                firstRead.Set();
            }
            while (!Volatile.Read(ref writerDone) && failure is null);
        });
        reader.Start();
        Assert.True(firstRead.Wait(TimeSpan.FromSeconds(60)), "the reader read once");

        for (int i = 1; i <= Batches; i++)
        {
            string value = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(store.Apply([Put("/myapp/A", value), Put("/myapp/B", value)]).Changed);
        }

        Volatile.Write(ref writerDone, true);
        Assert.True(reader.Join(TimeSpan.FromSeconds(60)), "the reader stopped");
        Assert.Null(failure);
        Assert.True(reads > 0);
    }

    private static int Read(ConfigurationStore store, string key)
    {
        Assert.True(store.TryGet(key, out string? value));
        return int.Parse(value!, System.Globalization.CultureInfo.InvariantCulture);
    }
}
