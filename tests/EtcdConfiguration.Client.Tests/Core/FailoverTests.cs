using EtcdConfiguration.Client.Tests.Harness;
using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Client.Tests.Core;

/// <summary>Failover in a real three-member cluster: the member in use dies, the client moves on.</summary>
[Collection(ClusterTestGroup.Name)]
public sealed class FailoverTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task When_the_member_in_use_is_killed_reads_keep_working_and_a_write_succeeds_on_another(bool itIsTheLeader)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 3 }, bound.Token);
        var leader = await cluster.GetLeaderAsync(bound.Token);
        var victim = itIsTheLeader ? leader : cluster.Members.First(m => m != leader);
        await using var client = await EtcdClient.ConnectAsync(
            new EtcdClientOptions
            {
                Endpoints = [victim.ClientUrl, .. cluster.ClientUrls.Where(url => url != victim.ClientUrl)],
                DialTimeout = TimeSpan.FromSeconds(30),
                RequestTimeout = TimeSpan.FromSeconds(3),
                MaxRetries = 10,
            },
            bound.Token);
        var key = $"/failover/{Guid.NewGuid():N}";
        await Elections.RetryAsync(() => client.KV.PutAsync(key, "before", cancellationToken: bound.Token));

        // The client starts on its first endpoint; make sure that is the member we kill.
        var inUse = await client.Maintenance.StatusAsync(cancellationToken: bound.Token);
        var first = await client.Maintenance.StatusAsync(victim.ClientUrl, bound.Token);
        Assert.Equal(first.Header.MemberId, inUse.Header.MemberId);

        await victim.KillAsync();

        for (var i = 0; i < 5; i++)
        {
            var read = await client.KV.GetAsync(key, cancellationToken: bound.Token);
            Assert.Equal("before", Assert.Single(read.Kvs).Value);
            Assert.NotEqual(first.Header.MemberId, read.Header.MemberId);
        }

        // A write is not retried once it may have reached a server, so give the survivors their leader first; a
        // write caught in a later election (a starved member misses heartbeats) is repeated by the test itself.
        await cluster.WaitHealthyAsync(bound.Token);
        var written = await Elections.RetryAsync(() => client.KV.PutAsync(key, "after", cancellationToken: bound.Token));

        Assert.NotEqual(first.Header.MemberId, written.Header.MemberId);
        Assert.Equal("after", Assert.Single((await client.KV.GetAsync(key, cancellationToken: bound.Token)).Kvs).Value);
        Assert.Equal("after", await Elections.RetryAsync(() => cluster.GetAsync(key)));
    }
}
