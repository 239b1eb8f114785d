using System.Text;

namespace EtcdConfiguration.Client.Tests.KV;

/// <summary>The tutorial's Get examples and every read option, against a real etcd.</summary>
public sealed class GetTests(SingleMemberFixture fixture) : IClassFixture<SingleMemberFixture>
{
    private readonly KVClient _kv = fixture.Client.KV;

    [Fact]
    public async Task Prefix_with_a_trailing_slash_returns_the_directory_only_and_without_it_also_the_spam_key()
    {
        var root = SingleMemberFixture.NewPrefix("Get");
        var put1 = await _kv.PutAsync(root + "test/key1", "Hello etcd!");
        await _kv.PutAsync(root + "test/key2", "Hello World!");
        await _kv.PutAsync(root + "testspam", "spam");

        var directory = await _kv.GetAsync(root + "test/", new GetOptions { Prefix = true });
        Assert.Equal([root + "test/key1", root + "test/key2"], directory.Kvs.Select(kv => kv.Key));
        Assert.Equal(["Hello etcd!", "Hello World!"], directory.Kvs.Select(kv => kv.Value));
        Assert.Equal(2, directory.Count);
        Assert.False(directory.More);

        var loose = await _kv.GetAsync(root + "test", new GetOptions { Prefix = true });
        Assert.Equal([root + "test/key1", root + "test/key2", root + "testspam"], loose.Kvs.Select(kv => kv.Key));

        var single = await _kv.GetAsync(root + "test/key1");
        var kv = Assert.Single(single.Kvs);
        Assert.Equal("Hello etcd!", kv.Value);
        Assert.Equal(put1.Header.Revision, kv.CreateRevision);
        Assert.Equal(put1.Header.Revision, kv.ModRevision);
        Assert.Equal(1, kv.Version);
        Assert.Equal(0, kv.Lease);
        Assert.True(single.Header.Revision >= put1.Header.Revision + 2);
        Assert.NotEqual(0UL, single.Header.ClusterId);
        Assert.NotEqual(0UL, single.Header.MemberId);
    }

    [Fact]
    public async Task A_prefix_can_be_read_in_pages_at_one_revision()
    {
        var root = SingleMemberFixture.NewPrefix("Pages");
        var expected = Enumerable.Range(0, 25).Select(i => $"{root}{i:D3}").ToList();
        foreach (var key in expected)
        {
            await _kv.PutAsync(key, "v");
        }

        var first = await _kv.GetAsync(root, new GetOptions { Prefix = true, Limit = 10 });
        var seen = first.Kvs.Select(kv => kv.Key).ToList();
        await _kv.PutAsync(root + "999-after-the-first-page", "not in this snapshot");
        var more = first.More;
        var last = first.Kvs[^1];
        while (more)
        {
            byte[] afterLast = [.. last.KeyBytes.Span, 0x00];
            var page = await _kv.GetAsync(
                afterLast,
                new GetOptions { RangeEndBytes = KeyRangeEnd.ForPrefix(root), Limit = 10, Revision = first.Header.Revision });
            seen.AddRange(page.Kvs.Select(kv => kv.Key));
            more = page.More;
            last = page.Kvs[^1];
        }

        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task A_missing_key_gives_no_kvs_and_no_error()
    {
        var response = await _kv.GetAsync(SingleMemberFixture.NewPrefix("Get") + "absent");

        Assert.Empty(response.Kvs);
        Assert.Equal(0, response.Count);
        Assert.False(response.More);
    }

    [Fact]
    public async Task Limit_returns_the_first_keys_and_reports_more_and_the_total_count()
    {
        var root = SingleMemberFixture.NewPrefix("Get");
        for (var i = 0; i < 5; i++)
        {
            await _kv.PutAsync($"{root}{i}", $"v{i}");
        }

        var page = await _kv.GetAsync(root, new GetOptions { Prefix = true, Limit = 2 });
        Assert.Equal([root + "0", root + "1"], page.Kvs.Select(kv => kv.Key));
        Assert.True(page.More);
        Assert.Equal(5, page.Count);

        var all = await _kv.GetAsync(root, new GetOptions { Prefix = true, Limit = 5 });
        Assert.Equal(5, all.Kvs.Count);
        Assert.False(all.More);
        Assert.Equal(5, all.Count);
    }

    public static TheoryData<SortTarget, SortOrder> SortCases()
    {
        var data = new TheoryData<SortTarget, SortOrder>();
        foreach (var target in Enum.GetValues<SortTarget>())
        {
            data.Add(target, SortOrder.Ascend);
            data.Add(target, SortOrder.Descend);
        }

        data.Add(SortTarget.Version, SortOrder.None);
        return data;
    }

    [Theory]
    [MemberData(nameof(SortCases))]
    public async Task Sorting_by_each_target_orders_keys_by_that_attribute(SortTarget target, SortOrder order)
    {
        // Written so that every target orders a, b, c differently from the key order (except Key itself):
        // create c < a < b, version b(1) < c(2) < a(3), mod b < a < c, value c("x") < a("y") < b("z").
        var root = SingleMemberFixture.NewPrefix("Sort");
        await _kv.PutAsync(root + "c", "x0");
        await _kv.PutAsync(root + "a", "y0");
        await _kv.PutAsync(root + "b", "z");
        await _kv.PutAsync(root + "a", "y1");
        await _kv.PutAsync(root + "a", "y");
        await _kv.PutAsync(root + "c", "x");

        var plain = (await _kv.GetAsync(root, new GetOptions { Prefix = true })).Kvs;
        Func<KeyValue, IComparable> attribute = target switch
        {
            SortTarget.Key => kv => kv.Key,
            SortTarget.Version => kv => kv.Version,
            SortTarget.CreateRevision => kv => kv.CreateRevision,
            SortTarget.ModRevision => kv => kv.ModRevision,
            _ => kv => kv.Value,
        };
        var ascending = plain.OrderBy(attribute).Select(kv => kv.Key).ToList();
        if (target != SortTarget.Key)
        {
            Assert.NotEqual(plain.Select(kv => kv.Key), ascending);
        }

        var expected = order == SortOrder.Descend ? Enumerable.Reverse(ascending).ToList() : ascending;

        var sorted = await _kv.GetAsync(root, new GetOptions { Prefix = true, SortTarget = target, SortOrder = order });

        Assert.Equal(expected, sorted.Kvs.Select(kv => kv.Key));
    }

    [Fact]
    public async Task Count_only_returns_the_count_without_keys()
    {
        var root = SingleMemberFixture.NewPrefix("Get");
        await _kv.PutAsync(root + "a", "1");
        await _kv.PutAsync(root + "b", "2");
        await _kv.PutAsync(root + "c", "3");

        var response = await _kv.GetAsync(root, new GetOptions { Prefix = true, CountOnly = true });

        Assert.Empty(response.Kvs);
        Assert.Equal(3, response.Count);
    }

    [Fact]
    public async Task Keys_only_returns_keys_and_metadata_without_values()
    {
        var root = SingleMemberFixture.NewPrefix("Get");
        var put = await _kv.PutAsync(root + "a", "secret");

        var response = await _kv.GetAsync(root, new GetOptions { Prefix = true, KeysOnly = true });

        var kv = Assert.Single(response.Kvs);
        Assert.Equal(root + "a", kv.Key);
        Assert.Equal(string.Empty, kv.Value);
        Assert.True(kv.ValueBytes.IsEmpty);
        Assert.Equal(put.Header.Revision, kv.ModRevision);
        Assert.Equal(1, kv.Version);
    }

    [Fact]
    public async Task A_get_at_a_revision_sees_the_keys_as_they_were_then()
    {
        var root = SingleMemberFixture.NewPrefix("Get");
        var first = await _kv.PutAsync(root + "k", "v1");
        await _kv.PutAsync(root + "k", "v2");
        await _kv.PutAsync(root + "later", "new");

        var then = await _kv.GetAsync(root, new GetOptions { Prefix = true, Revision = first.Header.Revision });
        var now = await _kv.GetAsync(root, new GetOptions { Prefix = true });

        Assert.Equal("v1", Assert.Single(then.Kvs).Value);
        Assert.Equal(["v2", "new"], now.Kvs.Select(kv => kv.Value));
    }

    [Fact]
    public async Task A_get_at_a_future_revision_fails_with_EtcdFutureRevisionException()
    {
        var current = (await _kv.GetAsync("any")).Header.Revision;

        var ex = await Assert.ThrowsAsync<EtcdFutureRevisionException>(
            () => _kv.GetAsync("any", new GetOptions { Revision = current + 1000 }));
        Assert.Equal("KV.Range", ex.Operation);
    }

    [Fact]
    public async Task From_key_reads_every_key_from_the_given_one_on()
    {
        var root = SingleMemberFixture.NewPrefix("Get");
        await _kv.PutAsync(root + "a", "1");
        await _kv.PutAsync(root + "b", "2");
        await _kv.PutAsync(root + "c", "3");

        var response = await _kv.GetAsync(root + "b", new GetOptions { FromKey = true, Limit = 2 });

        Assert.Equal([root + "b", root + "c"], response.Kvs.Select(kv => kv.Key));
        Assert.True(response.Count >= 2);
    }

    [Fact]
    public async Task An_explicit_range_reads_from_the_key_up_to_but_excluding_the_end()
    {
        var root = SingleMemberFixture.NewPrefix("Get");
        await _kv.PutAsync(root + "a", "1");
        await _kv.PutAsync(root + "b", "2");
        await _kv.PutAsync(root + "c", "3");

        var byString = await _kv.GetAsync(root + "a", new GetOptions { RangeEnd = root + "c" });
        var byBytes = await _kv.GetAsync(root + "b", new GetOptions { RangeEndBytes = Encoding.UTF8.GetBytes(root + "d") });

        Assert.Equal([root + "a", root + "b"], byString.Kvs.Select(kv => kv.Key));
        Assert.Equal([root + "b", root + "c"], byBytes.Kvs.Select(kv => kv.Key));
    }

    [Fact]
    public async Task Mod_and_create_revision_bounds_filter_the_range()
    {
        var root = SingleMemberFixture.NewPrefix("Get");
        var a = await _kv.PutAsync(root + "a", "1");
        var b = await _kv.PutAsync(root + "b", "2");
        await _kv.PutAsync(root + "c", "3");
        var aAgain = await _kv.PutAsync(root + "a", "1'");
        var all = new GetOptions { Prefix = true };

        Assert.Equal(["a", "b"], Keys(await _kv.GetAsync(root, new GetOptions { Prefix = true, MaxCreateRevision = b.Header.Revision }), root));
        Assert.Equal(["b", "c"], Keys(await _kv.GetAsync(root, new GetOptions { Prefix = true, MinCreateRevision = b.Header.Revision }), root));
        Assert.Equal(["b"], Keys(await _kv.GetAsync(root, new GetOptions { Prefix = true, MaxModRevision = b.Header.Revision }), root));
        Assert.Equal(["a"], Keys(await _kv.GetAsync(root, new GetOptions { Prefix = true, MinModRevision = aAgain.Header.Revision }), root));
        Assert.Equal(["a", "b", "c"], Keys(await _kv.GetAsync(root, all), root));
        Assert.True(a.Header.Revision < b.Header.Revision);
    }

    [Fact]
    public async Task A_serializable_get_reads_from_the_member_itself()
    {
        var root = SingleMemberFixture.NewPrefix("Get");
        await _kv.PutAsync(root + "k", "v");

        var response = await _kv.GetAsync(root + "k", new GetOptions { Serializable = true });

        Assert.Equal("v", Assert.Single(response.Kvs).Value);
    }

    [Fact]
    public async Task Key_and_value_strings_are_decoded_once_and_the_bytes_are_the_stored_bytes()
    {
        var root = SingleMemberFixture.NewPrefix("Get");
        await _kv.PutAsync(root + "ключ", "värde ✓");

        var kv = Assert.Single((await _kv.GetAsync(root, new GetOptions { Prefix = true })).Kvs);

        Assert.Equal(Encoding.UTF8.GetBytes(root + "ключ"), kv.KeyBytes.ToArray());
        Assert.Equal(Encoding.UTF8.GetBytes("värde ✓"), kv.ValueBytes.ToArray());
        Assert.Same(kv.Key, kv.Key);
        Assert.Same(kv.Value, kv.Value);
        Assert.DoesNotContain("värde", kv.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Contradicting_range_options_are_rejected_before_anything_is_sent()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _kv.GetAsync("k", new GetOptions { Prefix = true, FromKey = true }));
        await Assert.ThrowsAsync<ArgumentException>(() => _kv.GetAsync("k", new GetOptions { Prefix = true, RangeEnd = "z" }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _kv.GetAsync("k", new GetOptions { Limit = -1 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _kv.GetAsync("k", new GetOptions { SortOrder = (SortOrder)7 }));
    }

    private static string[] Keys(GetResponse response, string root) => response.Kvs.Select(kv => kv.Key[root.Length..]).ToArray();
}
