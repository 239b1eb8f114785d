using EtcdConfiguration.Client.Tests.KV;
using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Client.Tests.Core;

/// <summary>Connecting to a running etcd.</summary>
public sealed class ConnectTests(SingleMemberFixture fixture) : IClassFixture<SingleMemberFixture>
{
    [Fact]
    public async Task ConnectAsync_to_a_running_cluster_returns_a_working_client()
    {
        await using var client = await EtcdClient.ConnectAsync(new EtcdClientOptions
        {
            Endpoints = [fixture.Cluster.Endpoints + "/"],
            DialTimeout = TimeSpan.FromSeconds(30),
        });

        var status = await client.Maintenance.StatusAsync();
        await client.KV.PutAsync("/connect/k", "v");

        Assert.Equal([fixture.Cluster.ClientUrls[0]], client.Endpoints);
        Assert.StartsWith("3.", status.Version, StringComparison.Ordinal);
        Assert.Equal("v", await fixture.Cluster.GetAsync("/connect/k"));
    }

    [Fact]
    public async Task The_dial_moves_past_an_endpoint_with_nothing_listening()
    {
        using var dead = new RefusedEndpoint();

        await using var client = await EtcdClient.ConnectAsync(new EtcdClientOptions
        {
            Endpoints = [dead.Url, fixture.Cluster.ClientUrls[0]],
            DialTimeout = TimeSpan.FromSeconds(30),
        });

        Assert.Empty((await client.KV.GetAsync("/connect/absent")).Kvs);
    }
}
