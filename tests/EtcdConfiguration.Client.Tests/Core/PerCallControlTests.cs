using System.Globalization;
using EtcdConfiguration.Client.Tests.Harness;
using EtcdConfiguration.Client.Tests.Watch;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Client.Tests.Core;

/// <summary>Go's per-call controls on one member: the client-side send limit and closing every watch.</summary>
public sealed class PerCallControlTests(SingleMemberEtcd etcd) : IClassFixture<SingleMemberEtcd>
{
    [Fact]
    public async Task A_put_over_MaxSendMessageSize_fails_with_EtcdRequestTooLargeException_naming_its_size_and_the_limit_and_is_never_sent()
    {
        const int limit = 4096;
        var key = etcd.UniquePrefix("too-large") + "k";
        var logs = new FakeLogCollector();
        using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [.. etcd.Cluster.ClientUrls],
            DialTimeout = TimeSpan.FromSeconds(30),
            MaxSendMessageSize = limit,
            LoggerFactory = logs.CreateFactory(),
        });
        await client.KV.PutAsync(key + "-small", new string('s', limit / 2));

        var error = await Assert.ThrowsAsync<EtcdRequestTooLargeException>(() => client.KV.PutAsync(key, new string('x', 2 * limit)));

        Assert.Equal(limit, error.Limit);
        Assert.InRange(error.RequestSize, (2 * limit) + 1, (2 * limit) + 100);
        Assert.Equal("KV.Put", error.Operation);
        Assert.Contains(error.RequestSize.ToString("N0", CultureInfo.InvariantCulture) + " bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxSendMessageSize (4,096 bytes)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("xxxx", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<EtcdInvalidArgumentException>(error);
        Assert.False(EtcdRetryPolicy.IsTransient(error));
        Assert.DoesNotContain(logs.GetSnapshot(), e => e.Message.Contains("Retrying", StringComparison.Ordinal));
        Assert.Null(await etcd.Kv.GetAsync(key));
        Assert.Equal(new string('s', limit / 2), await etcd.Kv.GetAsync(key + "-small"));
    }

    [Fact]
    public async Task CloseAllAsync_ends_every_watch_cleanly_and_the_client_watches_again_afterwards()
    {
        var prefix = etcd.UniquePrefix("close-all");
        using var client = etcd.CreateClient();
        await using var one = await client.Watch.StartWatchAsync(prefix + "a");
        await using var two = await client.Watch.StartWatchAsync(prefix, new WatchOptions { Prefix = true });

        await client.Watch.CloseAllAsync();

        Assert.Null(await one.EndAsync());
        Assert.Null(await two.EndAsync());
        Assert.Null(client.Watch.StreamEndpoint);

        await using var again = await client.Watch.StartWatchAsync(prefix + "a");
        var put = await etcd.Kv.PutAsync(prefix + "a", "after the close");
        var seen = Assert.Single(await again.EventsAsync(1));
        Assert.Equal(put, seen.Kv.ModRevision);
        Assert.Equal("after the close", seen.Kv.Value);
    }

    [Fact]
    public async Task With_RequireLeader_unary_calls_to_a_member_with_a_leader_succeed()
    {
        var key = etcd.UniquePrefix("require-leader") + "k";
        using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [.. etcd.Cluster.ClientUrls],
            DialTimeout = TimeSpan.FromSeconds(30),
            RequireLeader = true,
        });

        await client.KV.PutAsync(key, "v");

        Assert.Equal("v", Assert.Single((await client.KV.GetAsync(key)).Kvs).Value);
    }
}
