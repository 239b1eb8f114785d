using System.Text.Json;
using EtcdConfiguration.Client.Tests.Harness;
using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Client.Tests.Maintenance;

/// <summary>Status, hashes and leader transfer against a real three-member cluster, checked with etcdctl.</summary>
[Collection(ClusterTestGroup.Name)]
public sealed class MaintenanceTests
{
    [Fact]
    public async Task Status_of_every_endpoint_agrees_on_one_leader_and_reports_a_dead_member_as_its_error()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 3 }, bound.Token);
        await using var client = await Connect(cluster, bound.Token);
        var victim = cluster.Members[2];
        await victim.KillAsync();

        var statuses = await client.Maintenance.StatusAllAsync(bound.Token);

        Assert.Equal(cluster.ClientUrls, statuses.Select(s => s.Endpoint));
        var alive = statuses.Take(2).Select(s => Assert.IsType<StatusResponse>(s.Status)).ToList();
        Assert.All(statuses.Take(2), s => Assert.Null(s.Error));
        Assert.Single(alive.Select(s => s.Leader).Distinct());
        Assert.Equal(2, alive.Select(s => s.Header.MemberId).Distinct().Count());
        var dead = statuses[2];
        Assert.Null(dead.Status);
        var error = Assert.IsType<EtcdUnavailableException>(dead.Error);
        Assert.Contains(victim.ClientUrl, error.Message, StringComparison.Ordinal);
        Assert.Contains("Maintenance.Status", error.Message, StringComparison.Ordinal);

        // Asked by name, the dead member's status is that same error, not another member's answer.
        var direct = await Assert.ThrowsAsync<EtcdUnavailableException>(() => client.Maintenance.StatusAsync(victim.ClientUrl, bound.Token));
        Assert.Equal(victim.ClientUrl, direct.Endpoint);
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => client.Maintenance.StatusAsync("http://127.0.0.1:1", bound.Token));
        Assert.Contains("'http://127.0.0.1:1' is not one of this client's endpoints", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HashKV_is_the_same_on_every_member_at_one_revision_and_refuses_a_compacted_one()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 3 }, bound.Token);
        await using var client = await Connect(cluster, bound.Token);
        for (var i = 0; i < 5; i++)
        {
            await Elections.RetryAsync(() => client.KV.PutAsync($"/hash/{i}", $"value {i}", cancellationToken: bound.Token));
        }

        var revision = (await Elections.RetryAsync(() => client.KV.PutAsync("/hash/last", "x", cancellationToken: bound.Token))).Header.Revision;
        await Elections.RetryAsync(() => client.KV.PutAsync("/hash/later", "y", cancellationToken: bound.Token));

        // A follower may apply the last write a moment after the leader acknowledged it.
        HashKVResponse[] hashes = [];
        await Eventually.TrueAsync(
            async () =>
            {
                hashes = await Task.WhenAll(cluster.ClientUrls.Select(url => client.Maintenance.HashKVAsync(url, revision, bound.Token)));
                return hashes.Select(h => h.Hash).Distinct().Count() == 1;
            },
            "every member hashes the same history up to the revision");
        Assert.Equal(3, hashes.Select(h => h.Header.MemberId).Distinct().Count());
        var latest = await client.Maintenance.HashKVAsync(cluster.ClientUrls[0], 0, bound.Token);
        Assert.NotEqual(hashes[0].Hash, latest.Hash);

        await cluster.CompactAsync(revision);
        await Assert.ThrowsAsync<EtcdCompactedException>(() => client.Maintenance.HashKVAsync(cluster.ClientUrls[0], revision - 1, bound.Token));
    }

    [Fact]
    public async Task MoveLeader_hands_leadership_to_the_chosen_member_as_etcdctl_sees_it()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 3 }, bound.Token);
        await using var client = await Connect(cluster, bound.Token);
        var leader = await cluster.GetLeaderAsync(bound.Token);
        var successor = cluster.Members.First(m => m != leader);
        var successorId = (await client.Maintenance.StatusAsync(successor.ClientUrl, bound.Token)).Header.MemberId;

        await Elections.RetryAsync(() => client.Maintenance.MoveLeaderAsync(successorId, bound.Token));

        Assert.Same(successor, await cluster.GetLeaderAsync(bound.Token));
        using var status = JsonDocument.Parse(await cluster.EtcdctlAsync("endpoint", "status", "-w", "json", "--endpoints=" + successor.ClientUrl));
        Assert.Equal(successorId, status.RootElement[0].GetProperty("Status").GetProperty("leader").GetUInt64());

        var refused = await Assert.ThrowsAsync<EtcdException>(() => client.Maintenance.MoveLeaderAsync(0x1234, bound.Token));
        Assert.Equal("Maintenance.MoveLeader", refused.Operation);
        Assert.Equal(successor.ClientUrl, refused.Endpoint);
    }

    private static Task<EtcdClient> Connect(EtcdCluster cluster, CancellationToken cancellationToken) =>
        EtcdClient.ConnectAsync(
            new EtcdClientOptions
            {
                Endpoints = [.. cluster.ClientUrls],
                DialTimeout = TimeSpan.FromSeconds(30),
                RequestTimeout = TimeSpan.FromSeconds(5),
            },
            cancellationToken);
}
