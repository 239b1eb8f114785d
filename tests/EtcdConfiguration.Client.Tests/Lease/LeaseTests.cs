using System.Diagnostics;
using System.Globalization;
using EtcdConfiguration.Client.Tests.Harness;
using EtcdConfiguration.Client.Tests.Watch;
using Grpc.Core;

namespace EtcdConfiguration.Client.Tests.Lease;

public sealed class LeaseTests(SingleMemberEtcd etcd) : IClassFixture<SingleMemberEtcd>
{
    // Leases that are only kept alive or only waited for are short; each must survive a stall of the loaded CI
    // machine between grant and use (or between two renewals, a third of the TTL apart): a few seconds.
    private const int ExpiringTtl = 2;
    private const int KeptTtl = 6;

    [Fact]
    public async Task The_tutorial_key_put_with_a_short_lease_vanishes_after_it_expires()
    {
        const int ttl = 5;
        var key = etcd.UniquePrefix("vanish") + "test/vanish";
        using var client = etcd.CreateClient();

        var lease = await client.Lease.GrantAsync(ttl);
        await client.KV.PutAsync(key, "vanish in 5s", new PutOptions { Lease = lease.Id });

        Assert.NotEqual(0, lease.Id);
        Assert.Equal(ttl, lease.Ttl);
        Assert.True(lease.Header.Revision > 0);
        Assert.Equal(lease.Id, Assert.Single((await client.KV.GetAsync(key)).Kvs).Lease);
        await Eventually.TrueAsync(async () => (await client.KV.GetAsync(key)).Kvs.Count == 0, "the leased key is deleted");
        Assert.Equal(-1, (await client.Lease.TimeToLiveAsync(lease.Id)).Ttl);
    }

    [Fact]
    public async Task KeepAlive_keeps_a_short_lease_and_its_key_for_more_than_two_ttls()
    {
        var key = etcd.UniquePrefix("kept") + "service";
        var logs = new FakeLogCollector();
        using var client = etcd.CreateClient(logs.CreateFactory());
        var lease = await client.Lease.GrantAsync(KeptTtl);
        await etcd.Kv.PutAsync(key, "alive", lease.Id);

        await using var keepAlive = new StreamProbe<LeaseKeepAliveResponse>(ct => client.Lease.KeepAliveAsync(lease.Id, ct));
        var kept = Stopwatch.StartNew();
        var renewals = 0;
        // Had a renewal come too late, the lease would have expired and the keep-alive ended with the loss.
        while (renewals < 3 || kept.Elapsed <= TimeSpan.FromSeconds(2 * KeptTtl))
        {
            var renewal = await keepAlive.NextAsync();
            Assert.Equal(lease.Id, renewal.Id);
            Assert.Equal(KeptTtl, renewal.Ttl);
            renewals++;
        }

        Assert.Equal("alive", await etcd.Kv.GetAsync(key));
        Assert.True((await client.Lease.TimeToLiveAsync(lease.Id)).Ttl > 0);
        SharedStreams.AssertOpened(1, () => client.Lease.StreamsOpened, logs, "lease keep-alive");
    }

    [Fact]
    public async Task KeepAliveOnce_renews_the_lease_to_its_whole_ttl()
    {
        using var client = etcd.CreateClient();
        var lease = await client.Lease.GrantAsync(30);
        // etcd rounds the remaining TTL down: 27 means more than two seconds have passed.
        await Eventually.TrueAsync(async () => (await client.Lease.TimeToLiveAsync(lease.Id)).Ttl <= 27, "two seconds of the lease's TTL have passed");

        var sinceRenewal = Stopwatch.StartNew();
        var renewal = await client.Lease.KeepAliveOnceAsync(lease.Id);
        var after = await client.Lease.TimeToLiveAsync(lease.Id);
        var elapsed = (int)Math.Ceiling(sinceRenewal.Elapsed.TotalSeconds);

        Assert.Equal(lease.Id, renewal.Id);
        Assert.Equal(30, renewal.Ttl);
        // Renewed: 30 s from the renewal, less the time since and the rounding. Not renewed, it would be at most 27
        // less the time since, always below that.
        Assert.True(after.Ttl >= 30 - elapsed - 1, $"TTL after the renewal: {after.Ttl}, {elapsed} s after it was sent");
    }

    [Fact]
    public async Task TimeToLive_tells_the_remaining_and_granted_ttl_and_lists_the_keys()
    {
        var prefix = etcd.UniquePrefix("ttl");
        using var client = etcd.CreateClient();
        var lease = await client.Lease.GrantAsync(60);
        await etcd.Kv.PutAsync(prefix + "a", "1", lease.Id);
        await etcd.Kv.PutAsync(prefix + "b", "2", lease.Id);

        var withKeys = await client.Lease.TimeToLiveAsync(lease.Id, keys: true);
        var withoutKeys = await client.Lease.TimeToLiveAsync(lease.Id);
        var unknown = await client.Lease.TimeToLiveAsync(0x7777_0000_1234);

        Assert.Equal(lease.Id, withKeys.Id);
        Assert.Equal(60, withKeys.GrantedTtl);
        Assert.InRange(withKeys.Ttl, 1, 60);
        Assert.True(withKeys.Exists);
        Assert.Equal([prefix + "a", prefix + "b"], withKeys.Keys.Order());
        Assert.Equal(2, withKeys.KeyBytes.Count);
        Assert.Empty(withoutKeys.Keys);
        Assert.Equal(-1, unknown.Ttl);
        Assert.False(unknown.Exists);
    }

    [Fact]
    public async Task Leases_lists_a_granted_lease_until_it_is_revoked()
    {
        using var client = etcd.CreateClient();
        var lease = await client.Lease.GrantAsync(60);

        Assert.Contains(lease.Id, await client.Lease.LeasesAsync());
        await client.Lease.RevokeAsync(lease.Id);
        Assert.DoesNotContain(lease.Id, await client.Lease.LeasesAsync());
    }

    [Fact]
    public async Task Revoke_deletes_the_leases_keys_and_a_second_revoke_throws_EtcdLeaseNotFoundException()
    {
        var prefix = etcd.UniquePrefix("revoke");
        using var client = etcd.CreateClient();
        var lease = await client.Lease.GrantAsync(60);
        var put = await etcd.Kv.PutAsync(prefix + "a", "1", lease.Id);

        var header = await client.Lease.RevokeAsync(lease.Id);
        var again = await Assert.ThrowsAsync<EtcdLeaseNotFoundException>(() => client.Lease.RevokeAsync(lease.Id));

        Assert.True(header.Revision > put);
        Assert.Null(await etcd.Kv.GetAsync(prefix + "a"));
        Assert.Equal(lease.Id, again.LeaseId);
        Assert.Equal(StatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task KeepAlive_throws_EtcdLeaseNotFoundException_naming_the_lease_when_it_is_revoked_elsewhere()
    {
        using var client = etcd.CreateClient();
        // The loss shows at the next renewal, a third of the TTL later.
        var lease = await client.Lease.GrantAsync(6);
        await using var keepAlive = new StreamProbe<LeaseKeepAliveResponse>(ct => client.Lease.KeepAliveAsync(lease.Id, ct));
        Assert.Equal(lease.Id, (await keepAlive.NextAsync()).Id);

        await etcd.Cluster.EtcdctlAsync("lease", "revoke", lease.Id.ToString("x", CultureInfo.InvariantCulture));
        var failure = await keepAlive.EndAsync();

        var notFound = Assert.IsType<EtcdLeaseNotFoundException>(failure);
        Assert.Equal(lease.Id, notFound.LeaseId);
        Assert.Contains(lease.Id.ToString(CultureInfo.InvariantCulture), notFound.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeepAliveOnce_and_a_put_with_an_expired_lease_throw_EtcdLeaseNotFoundException()
    {
        var key = etcd.UniquePrefix("expired") + "k";
        using var client = etcd.CreateClient();
        var lease = await client.Lease.GrantAsync(ExpiringTtl);
        await Eventually.TrueAsync(async () => (await client.Lease.TimeToLiveAsync(lease.Id)).Ttl == -1, "the lease expires");

        var once = await Assert.ThrowsAsync<EtcdLeaseNotFoundException>(() => client.Lease.KeepAliveOnceAsync(lease.Id));
        var put = await Assert.ThrowsAsync<EtcdLeaseNotFoundException>(() => client.KV.PutAsync(key, "v", new PutOptions { Lease = lease.Id }));

        Assert.Equal(lease.Id, once.LeaseId);
        Assert.Equal(lease.Id, put.LeaseId);
        Assert.Empty((await client.KV.GetAsync(key)).Kvs);
    }

    [Fact]
    public async Task Keep_alives_of_many_leases_share_one_stream_and_CloseAsync_ends_them()
    {
        var logs = new FakeLogCollector();
        using var client = etcd.CreateClient(logs.CreateFactory());
        var first = await client.Lease.GrantAsync(30);
        var second = await client.Lease.GrantAsync(30);
        await using var one = new StreamProbe<LeaseKeepAliveResponse>(ct => client.Lease.KeepAliveAsync(first.Id, ct));
        await using var two = new StreamProbe<LeaseKeepAliveResponse>(ct => client.Lease.KeepAliveAsync(second.Id, ct));
        await using var twoAgain = new StreamProbe<LeaseKeepAliveResponse>(ct => client.Lease.KeepAliveAsync(second.Id, ct));

        Assert.Equal(first.Id, (await one.NextAsync()).Id);
        Assert.Equal(second.Id, (await two.NextAsync()).Id);
        Assert.Equal(second.Id, (await twoAgain.NextAsync()).Id);
        SharedStreams.AssertOpened(1, () => client.Lease.StreamsOpened, logs, "lease keep-alive");

        await client.Lease.CloseAsync();

        Assert.Null(await one.EndAsync());
        Assert.Null(await two.EndAsync());
        Assert.Null(await twoAgain.EndAsync());
    }

    [Fact]
    public async Task A_second_keep_alive_of_a_kept_lease_gets_its_first_renewal_at_once()
    {
        var logs = new FakeLogCollector();
        using var client = etcd.CreateClient(logs.CreateFactory());
        // The next regular renewal is a third of the TTL (100 s) away, more than twice the wait below.
        var lease = await client.Lease.GrantAsync(300);
        await using var first = new StreamProbe<LeaseKeepAliveResponse>(ct => client.Lease.KeepAliveAsync(lease.Id, ct));
        Assert.Equal(lease.Id, (await first.NextAsync()).Id);

        await using var second = new StreamProbe<LeaseKeepAliveResponse>(ct => client.Lease.KeepAliveAsync(lease.Id, ct));

        Assert.Equal(lease.Id, (await second.NextAsync(seconds: 45)).Id);
        SharedStreams.AssertOpened(1, () => client.Lease.StreamsOpened, logs, "lease keep-alive");
        await client.Lease.RevokeAsync(lease.Id);
    }

    [Fact]
    public async Task Canceling_a_keep_alive_stops_renewing_so_the_lease_expires()
    {
        using var client = etcd.CreateClient();
        // Long enough that the first renewal comes before the lease expires, even after a stall.
        var lease = await client.Lease.GrantAsync(5);
        await using var keepAlive = new StreamProbe<LeaseKeepAliveResponse>(ct => client.Lease.KeepAliveAsync(lease.Id, ct));
        await keepAlive.NextAsync();

        await keepAlive.CancelAsync();

        Assert.IsAssignableFrom<OperationCanceledException>(await keepAlive.EndAsync());
        await Eventually.TrueAsync(async () => (await client.Lease.TimeToLiveAsync(lease.Id)).Ttl == -1, "the lease expires");
    }

    [Fact]
    public async Task Disposing_the_client_ends_its_keep_alives_and_a_later_one_is_refused_even_if_none_ran_before()
    {
        using var owner = etcd.CreateClient();
        var lease = await owner.Lease.GrantAsync(30);

        var kept = etcd.CreateClient();
        await using var keepAlive = new StreamProbe<LeaseKeepAliveResponse>(ct => kept.Lease.KeepAliveAsync(lease.Id, ct));
        Assert.Equal(lease.Id, (await keepAlive.NextAsync()).Id);
        await kept.DisposeAsync();
        Assert.Null(await keepAlive.EndAsync());

        // The keep-alive loop of a client is made by its first keep-alive: a client disposed before any must refuse too.
        var neverKept = etcd.CreateClient();
        await neverKept.DisposeAsync();
        foreach (var client in new[] { kept, neverKept })
        {
            await Assert.ThrowsAsync<ObjectDisposedException>(async () =>
            {
                await foreach (var renewal in client.Lease.KeepAliveAsync(lease.Id))
                {
                    Assert.Fail($"A disposed client renewed {renewal.Id}.");
                }
            });
        }

        await owner.Lease.RevokeAsync(lease.Id);
    }
}
