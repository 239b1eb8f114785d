using System.Globalization;
using EtcdConfiguration.Client.Namespaces;
using EtcdConfiguration.Client.Tests.KV;

namespace EtcdConfiguration.Client.Tests.Namespaces;

/// <summary>
/// A namespace view against real etcd: keys gain the prefix on the way out (etcdctl sees them there), lose it on the
/// way in, and no range, prefix, from-key read, delete, transaction or watch leaves the namespace. Each test has
/// neighbours just outside it: the prefix without its slash, and the key right at the namespace's range end.
/// </summary>
public sealed class NamespaceTests(SingleMemberFixture fixture) : IClassFixture<SingleMemberFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Keys_are_prefixed_in_etcd_and_stripped_in_responses()
    {
        var (root, tenant) = await NewNamespaceAsync();

        var put = await tenant.KV.PutAsync("db", "one");
        var replaced = await tenant.KV.PutAsync("db", "two", new PutOptions { PrevKv = true });
        await fixture.Cluster.PutAsync(root + "from-etcdctl", "three");
        var db = await tenant.KV.GetAsync("db");
        var fromEtcdctl = await tenant.KV.GetAsync("from-etcdctl");

        Assert.True(put.Header.Revision > 0);
        Assert.Equal("two", await fixture.Cluster.GetAsync(root + "db"));
        Assert.Equal("db", replaced.PrevKv!.Key);
        Assert.Equal("one", replaced.PrevKv.Value);
        Assert.Equal(("db", "two"), (Assert.Single(db.Kvs).Key, db.Kvs[0].Value));
        Assert.Equal(("from-etcdctl", "three"), (Assert.Single(fromEtcdctl.Kvs).Key, fromEtcdctl.Kvs[0].Value));
        Assert.Equal(root, tenant.Prefix);
    }

    [Fact]
    public async Task Prefix_from_key_and_range_reads_stay_inside_the_namespace()
    {
        var (_, tenant) = await NewNamespaceAsync();
        await tenant.KV.PutAsync("a/1", "1");
        await tenant.KV.PutAsync("a/2", "2");
        await tenant.KV.PutAsync("b", "3");

        var prefix = await tenant.KV.GetAsync("a/", new GetOptions { Prefix = true });
        var everything = await tenant.KV.GetAsync(string.Empty, new GetOptions { Prefix = true });
        var fromA2 = await tenant.KV.GetAsync("a/2", new GetOptions { FromKey = true });
        var fromStart = await tenant.KV.GetAsync(string.Empty, new GetOptions { FromKey = true });
        var range = await tenant.KV.GetAsync("a/", new GetOptions { RangeEnd = "a/2" });
        var bytes = await tenant.KV.GetAsync("a/"u8.ToArray(), new GetOptions { RangeEndBytes = KeyRangeEnd.ForPrefix("a/") });

        Assert.Equal(["a/1", "a/2"], prefix.Kvs.Select(kv => kv.Key));
        Assert.Equal(["a/1", "a/2", "b"], everything.Kvs.Select(kv => kv.Key));
        Assert.Equal(["a/2", "b"], fromA2.Kvs.Select(kv => kv.Key));
        Assert.Equal(["a/1", "a/2", "b"], fromStart.Kvs.Select(kv => kv.Key));
        Assert.Equal(["a/1"], range.Kvs.Select(kv => kv.Key));
        Assert.Equal(["a/1", "a/2"], bytes.Kvs.Select(kv => kv.Key));
        Assert.Equal("a/1"u8.ToArray(), prefix.Kvs[0].KeyBytes.ToArray());
    }

    [Fact]
    public async Task A_from_key_delete_empties_the_namespace_and_nothing_else()
    {
        var (root, tenant) = await NewNamespaceAsync();
        await tenant.KV.PutAsync("a", "1");
        await tenant.KV.PutAsync("b", "2");

        var deleted = await tenant.KV.DeleteAsync(string.Empty, new DeleteOptions { FromKey = true, PrevKv = true });

        Assert.Equal(2, deleted.Deleted);
        Assert.Equal(["a", "b"], deleted.PrevKvs.Select(kv => kv.Key).Order());
        Assert.Equal("outside", await fixture.Cluster.GetAsync(root.TrimEnd('/')));
        Assert.Equal("outside", await fixture.Cluster.GetAsync(RangeEndOf(root)));
        Assert.Equal(0, (await tenant.KV.GetAsync(string.Empty, new GetOptions { FromKey = true, CountOnly = true })).Count);
    }

    [Fact]
    public async Task Transactions_compare_and_act_inside_the_namespace_and_return_stripped_keys()
    {
        var (root, tenant) = await NewNamespaceAsync();
        await tenant.KV.PutAsync("version", "1");

        var then = await tenant.KV.Txn()
            .If(Compare.Value("version", CompareResult.Equal, "1"), Compare.CreateRevision("cfg/", CompareResult.Equal, 0).WithPrefix())
            .Then(Op.Put("version", "2", new PutOptions { PrevKv = true }), Op.Get("version"), Op.Txn([], [Op.Get(string.Empty, new GetOptions { FromKey = true })], []))
            .Else(Op.Get("version"))
            .CommitAsync();
        var otherwise = await tenant.KV.DoAsync(Op.Txn([Compare.Value("version", CompareResult.Equal, "1")], [], [Op.Delete("version", new DeleteOptions { PrevKv = true })]));

        Assert.True(then.Succeeded);
        Assert.Equal("version", then.Responses[0].Put!.PrevKv!.Key);
        Assert.Equal("version", then.Responses[1].Get!.Kvs[0].Key);
        Assert.Equal(["version"], then.Responses[2].Txn!.Responses[0].Get!.Kvs.Select(kv => kv.Key));
        Assert.False(otherwise.Txn!.Succeeded);
        Assert.Equal("version", otherwise.Txn.Responses[0].Delete!.PrevKvs[0].Key);
        Assert.Null(await fixture.Cluster.GetAsync(root + "version"));
    }

    [Fact]
    public async Task A_watch_sees_only_the_namespace_with_keys_and_previous_keys_stripped()
    {
        var (root, tenant) = await NewNamespaceAsync();
        using var stop = new CancellationTokenSource(Bound);
        await using var watch = tenant.Watch.WatchAsync(string.Empty, new WatchOptions { FromKey = true, PrevKv = true }, stop.Token).GetAsyncEnumerator(stop.Token);
        Assert.True(await watch.MoveNextAsync());
        Assert.True(watch.Current.Created);

        await fixture.Cluster.PutAsync(RangeEndOf(root), "outside again");
        await fixture.Cluster.PutAsync(root.TrimEnd('/'), "outside again");
        await tenant.KV.PutAsync("k", "1");
        await fixture.Cluster.PutAsync(root + "k", "2");
        await tenant.KV.DeleteAsync("k");
        var events = new List<WatchEvent>();
        while (events.Count < 3)
        {
            Assert.True(await watch.MoveNextAsync());
            events.AddRange(watch.Current.Events);
        }

        Assert.Equal(
            ["Put k 1 (was none)", "Put k 2 (was k 1)", "Delete k  (was k 2)"],
            events.Select(e => $"{e.Type} {e.Kv.Key} {e.Kv.Value} (was {(e.PrevKv is null ? "none" : $"{e.PrevKv.Key} {e.PrevKv.Value}")})"));
        Assert.Equal("k"u8.ToArray(), events[0].Kv.KeyBytes.ToArray());
    }

    [Fact]
    public async Task A_lease_lists_only_its_keys_inside_the_namespace_relative_to_it()
    {
        var (root, tenant) = await NewNamespaceAsync();
        var lease = await tenant.Lease.GrantAsync(60);
        await tenant.KV.PutAsync("leased", "1", new PutOptions { Lease = lease.Id });
        await fixture.Cluster.EtcdctlAsync("put", "--lease=" + lease.Id.ToString("x", CultureInfo.InvariantCulture), "--", RangeEndOf(root) + "-leased", "2");

        var inside = await tenant.Lease.TimeToLiveAsync(lease.Id, keys: true);
        var whole = await fixture.Client.Lease.TimeToLiveAsync(lease.Id, keys: true);
        await tenant.Lease.RevokeAsync(lease.Id);

        Assert.Equal(["leased"], inside.Keys);
        Assert.Equal(2, whole.Keys.Count);
        Assert.Equal(lease.Id, inside.Id);
        Assert.True(inside.Exists);
        Assert.Null(await fixture.Cluster.GetAsync(root + "leased"));
    }

    [Fact]
    public async Task An_empty_key_is_refused_as_etcd_would_although_it_would_name_the_prefix()
    {
        var (root, tenant) = await NewNamespaceAsync();

        var put = await Assert.ThrowsAsync<ArgumentException>(() => tenant.KV.PutAsync(string.Empty, "x"));
        await Assert.ThrowsAsync<ArgumentException>(() => tenant.KV.GetAsync(string.Empty));
        await Assert.ThrowsAsync<ArgumentException>(() => tenant.KV.Txn().Then(Op.Delete(string.Empty)).CommitAsync());

        Assert.Contains(root, put.Message, StringComparison.Ordinal);
        Assert.Null(await fixture.Cluster.GetAsync(root));
    }

    [Fact]
    public void An_empty_namespace_is_refused()
    {
        Assert.Throws<ArgumentException>(() => fixture.Client.WithNamespace(string.Empty));
        Assert.Throws<ArgumentNullException>(() => fixture.Client.WithNamespace(null!));
    }

    /// <summary>The first key after the namespace: its prefix with the last byte incremented ("/x/" → "/x0").</summary>
    private static string RangeEndOf(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

    private async Task<(string Root, EtcdNamespace Tenant)> NewNamespaceAsync()
    {
        var root = SingleMemberFixture.NewPrefix("Namespace");
        await fixture.Cluster.PutAsync(root.TrimEnd('/'), "outside");
        await fixture.Cluster.PutAsync(RangeEndOf(root), "outside");
        return (root, fixture.Client.WithNamespace(root));
    }
}
