using EtcdConfiguration.Client.Tests.Harness;
using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Client.Tests.Core;

/// <summary>EtcdClientOptions.RequireLeader sends etcd's require-leader flag on unary calls, as Go's WithRequireLeader does.</summary>
[Collection(ClusterTestGroup.Name)]
public sealed class RequireLeaderTests
{
    [Fact]
    public async Task A_member_without_a_leader_refuses_a_read_at_once_with_RequireLeader_and_answers_it_without()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 3 }, bound.Token);
        var key = $"/require-leader/{Guid.NewGuid():N}";
        await Elections.RetryAsync(() => cluster.PutAsync(key, "stored"));
        var survivor = cluster.Members[0];
        EtcdClient Client(bool requireLeader) => new(new EtcdClientOptions
        {
            Endpoints = [survivor.ClientUrl],
            DialTimeout = TimeSpan.FromSeconds(30),
            RequireLeader = requireLeader,
        });
        using var requiring = Client(requireLeader: true);
        using var plain = Client(requireLeader: false);
        await Eventually.TrueAsync(async () => (await requiring.KV.GetAsync(key, new GetOptions { Serializable = true })).Kvs.Count == 1, "the survivor has the key");

        await cluster.Members[1].KillAsync();
        await cluster.Members[2].KillAsync();
        await Eventually.TrueAsync(async () => (await plain.Maintenance.StatusAsync(survivor.ClientUrl, bound.Token)).Leader == 0, "the survivor has lost its leader");

        var refused = await Assert.ThrowsAsync<EtcdUnavailableException>(() => requiring.KV.GetAsync(key, new GetOptions { Serializable = true }, bound.Token));
        var answered = await plain.KV.GetAsync(key, new GetOptions { Serializable = true }, bound.Token);

        Assert.Contains("no leader", refused.Message, StringComparison.Ordinal);
        Assert.Equal("KV.Range", refused.Operation);
        Assert.Equal("stored", Assert.Single(answered.Kvs).Value);
    }
}
