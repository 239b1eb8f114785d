namespace EtcdConfiguration.Client.Tests.KV;

/// <summary>Put and Delete with each of their options, against a real etcd.</summary>
public sealed class PutDeleteTests(SingleMemberFixture fixture) : IClassFixture<SingleMemberFixture>
{
    private readonly KVClient _kv = fixture.Client.KV;

    [Fact]
    public async Task A_put_returns_the_revision_it_created_and_no_previous_key_unless_asked()
    {
        var key = SingleMemberFixture.NewPrefix("Put") + "k";

        var first = await _kv.PutAsync(key, "v1");
        var second = await _kv.PutAsync(key, "v2");

        Assert.Null(first.PrevKv);
        Assert.Null(second.PrevKv);
        Assert.Equal(first.Header.Revision + 1, second.Header.Revision);
        Assert.Equal(second.Header.Revision, Assert.Single((await _kv.GetAsync(key)).Kvs).ModRevision);
    }

    [Fact]
    public async Task A_put_with_prev_kv_returns_the_key_as_it_was()
    {
        var key = SingleMemberFixture.NewPrefix("Put") + "k";
        var created = await _kv.PutAsync(key, "before", new PutOptions { PrevKv = true });

        var overwritten = await _kv.PutAsync(key, "after", new PutOptions { PrevKv = true });

        Assert.Null(created.PrevKv);
        Assert.NotNull(overwritten.PrevKv);
        Assert.Equal(key, overwritten.PrevKv.Key);
        Assert.Equal("before", overwritten.PrevKv.Value);
        Assert.Equal(1, overwritten.PrevKv.Version);
        Assert.Equal(created.Header.Revision, overwritten.PrevKv.ModRevision);
    }

    [Fact]
    public async Task Ignore_value_changes_only_the_lease_and_ignore_lease_only_the_value()
    {
        var lease = await fixture.SharedLeaseAsync();
        var key = SingleMemberFixture.NewPrefix("Put") + "k";
        await _kv.PutAsync(key, "kept");

        await _kv.PutAsync(key, string.Empty, new PutOptions { IgnoreValue = true, Lease = lease });
        var afterIgnoreValue = Assert.Single((await _kv.GetAsync(key)).Kvs);
        await _kv.PutAsync(key, "changed", new PutOptions { IgnoreLease = true });
        var afterIgnoreLease = Assert.Single((await _kv.GetAsync(key)).Kvs);

        Assert.Equal("kept", afterIgnoreValue.Value);
        Assert.Equal(lease, afterIgnoreValue.Lease);
        Assert.Equal("changed", afterIgnoreLease.Value);
        Assert.Equal(lease, afterIgnoreLease.Lease);
    }

    [Fact]
    public async Task Ignore_value_on_a_missing_key_is_refused_by_etcd()
    {
        var key = SingleMemberFixture.NewPrefix("Put") + "missing";

        var ex = await Assert.ThrowsAsync<EtcdInvalidArgumentException>(
            () => _kv.PutAsync(key, string.Empty, new PutOptions { IgnoreValue = true }));
        Assert.Contains("key not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Contradicting_put_options_are_rejected_before_anything_is_sent()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _kv.PutAsync("k", "value", new PutOptions { IgnoreValue = true }));
        await Assert.ThrowsAsync<ArgumentException>(() => _kv.PutAsync("k", "value", new PutOptions { IgnoreLease = true, Lease = 5 }));
    }

    [Fact]
    public async Task A_put_with_a_lease_that_does_not_exist_fails_with_EtcdLeaseNotFoundException()
    {
        const long unknownLease = 0x1234_5678_9abc;
        var key = SingleMemberFixture.NewPrefix("Put") + "k";

        var ex = await Assert.ThrowsAsync<EtcdLeaseNotFoundException>(
            () => _kv.PutAsync(key, "v", new PutOptions { Lease = unknownLease }));

        Assert.Equal(unknownLease, ex.LeaseId);
        Assert.Equal("KV.Put", ex.Operation);
        Assert.Contains("123456789abc", ex.Message, StringComparison.Ordinal);
        Assert.Empty((await _kv.GetAsync(key)).Kvs);
    }

    [Fact]
    public async Task Deleting_one_key_returns_it_with_prev_kv_and_a_missing_key_deletes_nothing()
    {
        var root = SingleMemberFixture.NewPrefix("Delete");
        await _kv.PutAsync(root + "k", "v");
        await _kv.PutAsync(root + "k2", "v2");

        var deleted = await _kv.DeleteAsync(root + "k", new DeleteOptions { PrevKv = true });
        var again = await _kv.DeleteAsync(root + "k");

        Assert.Equal(1, deleted.Deleted);
        var prev = Assert.Single(deleted.PrevKvs);
        Assert.Equal(root + "k", prev.Key);
        Assert.Equal("v", prev.Value);
        Assert.Equal(0, again.Deleted);
        Assert.Empty(again.PrevKvs);
        Assert.Single((await _kv.GetAsync(root, new GetOptions { Prefix = true })).Kvs);
    }

    [Fact]
    public async Task Deleting_a_prefix_removes_the_directory_but_not_the_spam_key()
    {
        var root = SingleMemberFixture.NewPrefix("Delete");
        await _kv.PutAsync(root + "test/key1", "1");
        await _kv.PutAsync(root + "test/key2", "2");
        await _kv.PutAsync(root + "testspam", "spam");

        var deleted = await _kv.DeleteAsync(root + "test/", new DeleteOptions { Prefix = true, PrevKv = true });

        Assert.Equal(2, deleted.Deleted);
        Assert.Equal([root + "test/key1", root + "test/key2"], deleted.PrevKvs.Select(kv => kv.Key).Order(StringComparer.Ordinal));
        Assert.Equal([root + "testspam"], (await _kv.GetAsync(root, new GetOptions { Prefix = true })).Kvs.Select(kv => kv.Key));
    }

    [Fact]
    public async Task Deleting_a_range_removes_the_keys_before_its_end()
    {
        var root = SingleMemberFixture.NewPrefix("Delete");
        await _kv.PutAsync(root + "a", "1");
        await _kv.PutAsync(root + "b", "2");
        await _kv.PutAsync(root + "c", "3");

        var deleted = await _kv.DeleteAsync(root + "a", new DeleteOptions { RangeEnd = root + "c", PrevKv = true });

        Assert.Equal(2, deleted.Deleted);
        Assert.Equal(["1", "2"], deleted.PrevKvs.Select(kv => kv.Value).Order(StringComparer.Ordinal));
        Assert.Equal([root + "c"], (await _kv.GetAsync(root, new GetOptions { Prefix = true })).Kvs.Select(kv => kv.Key));
    }

    [Fact]
    public async Task Deleting_from_a_key_removes_it_and_every_greater_key()
    {
        // Every test of this class runs one after the other, so keys of other tests that sort after ours may go too.
        var root = SingleMemberFixture.NewPrefix("Delete");
        await _kv.PutAsync(root + "a", "1");
        await _kv.PutAsync(root + "b", "2");
        await _kv.PutAsync(root + "c", "3");

        var deleted = await _kv.DeleteAsync(root + "b", new DeleteOptions { FromKey = true, PrevKv = true });

        Assert.Contains(root + "b", deleted.PrevKvs.Select(kv => kv.Key));
        Assert.Contains(root + "c", deleted.PrevKvs.Select(kv => kv.Key));
        Assert.DoesNotContain(root + "a", deleted.PrevKvs.Select(kv => kv.Key));
        Assert.Equal([root + "a"], (await _kv.GetAsync(root, new GetOptions { Prefix = true })).Kvs.Select(kv => kv.Key));
    }

    [Fact]
    public async Task Compaction_removes_old_revisions_so_reading_one_fails_with_EtcdCompactedException()
    {
        var key = SingleMemberFixture.NewPrefix("Compact") + "k";
        var old = await _kv.PutAsync(key, "v1");
        var current = await _kv.PutAsync(key, "v2");

        var compacted = await _kv.CompactAsync(current.Header.Revision, physical: true);

        Assert.True(compacted.Header.Revision >= current.Header.Revision);
        var ex = await Assert.ThrowsAsync<EtcdCompactedException>(() => _kv.GetAsync(key, new GetOptions { Revision = old.Header.Revision }));
        Assert.Equal("KV.Range", ex.Operation);
        Assert.Equal("v2", Assert.Single((await _kv.GetAsync(key, new GetOptions { Revision = current.Header.Revision })).Kvs).Value);
        await Assert.ThrowsAsync<EtcdCompactedException>(() => _kv.CompactAsync(old.Header.Revision));
    }
}
