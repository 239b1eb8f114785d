using EtcdConfiguration.Client.Tests.Harness;
using EtcdConfiguration.Client.Tests.Watch;
using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Client.Tests.Endpoints;

/// <summary>Changing the endpoints of a running client (Go's SetEndpoints).</summary>
[Collection(ClusterTestGroup.Name)]
public sealed class SetEndpointsTests
{
    [Fact]
    public async Task After_SetEndpoints_calls_a_watch_and_a_keep_alive_use_the_new_list_and_survive_the_old_members_death()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 3 }, bound.Token);
        var (old, fresh) = (cluster.Members[0], cluster.Members.Skip(1).Select(m => m.ClientUrl).ToArray());
        var key = $"/set-endpoints/{Guid.NewGuid():N}";
        using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [old.ClientUrl],
            DialTimeout = TimeSpan.FromSeconds(30),
            MaxRetries = 10,
        });
        await using var watch = await client.Watch.StartWatchAsync(key);
        var lease = await client.Lease.GrantAsync(10);
        await using var keepAlive = new StreamProbe<LeaseKeepAliveResponse>(ct => client.Lease.KeepAliveAsync(lease.Id, ct));
        await keepAlive.NextAsync();
        Assert.Equal(old.ClientUrl, client.Watch.StreamEndpoint);

        client.SetEndpoints(fresh);

        Assert.Equal(fresh, client.Endpoints);
        await Eventually.TrueAsync(() => client.Watch.StreamEndpoint is { } at && fresh.Contains(at), "the watch stream moved to a new endpoint");
        await Eventually.TrueAsync(() => client.Lease.StreamEndpoint is { } at && fresh.Contains(at), "the keep-alive stream moved to a new endpoint");
        await old.KillAsync();
        var written = await Elections.RetryAsync(() => client.KV.PutAsync(key, "after", cancellationToken: bound.Token));

        var seen = Assert.Single(await watch.EventsAsync(1));
        Assert.Equal(written.Header.Revision, seen.Kv.ModRevision);
        Assert.Equal("after", Assert.Single((await client.KV.GetAsync(key, cancellationToken: bound.Token)).Kvs).Value);
        Assert.Equal(lease.Id, (await keepAlive.NextAsync()).Id);
    }
}
