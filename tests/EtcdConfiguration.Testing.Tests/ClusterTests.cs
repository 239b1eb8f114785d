using System.Text.Json;
using EtcdConfiguration.Testing.Internal;

namespace EtcdConfiguration.Testing.Tests;

[Collection(ClusterTestGroup.Name)]
public sealed class ClusterTests
{
    [Fact]
    public async Task Three_members_form_one_cluster_and_a_write_on_one_is_read_from_another()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 3 });

        Assert.Equal(3, cluster.Members.Count);
        Assert.Equal(3, cluster.ClientUrls.Distinct().Count());
        Assert.Equal(string.Join(',', cluster.ClientUrls), cluster.Endpoints);
        Assert.Equal(3, cluster.Members.Select(m => m.DataDirectory).Distinct().Count());

        var members = await cluster.EtcdctlAsync("member", "list", "-w", "json");
        using (var json = JsonDocument.Parse(members))
        {
            Assert.Equal(3, json.RootElement.GetProperty("members").GetArrayLength());
        }

        await Elections.RetryAsync(() => cluster.EtcdctlAsync("--endpoints=" + cluster.Members[0].ClientUrl, "put", "cluster/key", "written on m0"));
        var read = await Elections.RetryAsync(() => cluster.EtcdctlAsync("--endpoints=" + cluster.Members[2].ClientUrl, "get", "cluster/key", "--print-value-only"));

        Assert.Equal("written on m0", read.Trim());
    }

    [Fact]
    public async Task A_killed_leader_restarts_with_its_data_and_rejoins()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 3 });
        var member = await cluster.GetLeaderAsync();
        var port = new Uri(member.ClientUrl).Port;
        await Elections.RetryAsync(() => cluster.PutAsync("restart/before", "kept on disk"));

        var oldProcessId = member.ProcessId!.Value;
        await member.KillAsync();

        Assert.False(member.IsRunning);
        Assert.Null(member.ProcessId);
        Assert.False(UnixSignals.IsAlive(oldProcessId));
        // The other two elect a new leader before they accept writes.
        Assert.NotSame(member, await cluster.GetLeaderAsync());
        await Elections.RetryAsync(() => cluster.PutAsync("restart/while-down", "from the leader"));

        await member.RestartAsync();

        Assert.True(member.IsRunning);
        Assert.NotEqual(oldProcessId, member.ProcessId);
        Assert.Equal(port, new Uri(member.ClientUrl).Port);
        await cluster.WaitHealthyAsync();
        // Serializable: answered from the member's own store, which must have kept the key written before the kill.
        var kept = await cluster.EtcdctlAsync("--endpoints=" + member.ClientUrl, "get", "restart/before", "--consistency=s", "--print-value-only");
        Assert.Equal("kept on disk", kept.Trim());
        var caughtUp = await Elections.RetryAsync(() => cluster.EtcdctlAsync("--endpoints=" + member.ClientUrl, "get", "restart/while-down", "--print-value-only"));
        Assert.Equal("from the leader", caughtUp.Trim());
    }

    [Fact]
    public async Task A_paused_leader_freezes_and_serves_again_after_resume()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 3 });
        var member = await cluster.GetLeaderAsync();
        var processId = member.ProcessId!.Value;

        member.Pause();

        Assert.True(member.IsPaused);
        Assert.True(member.IsRunning);
        await Eventually.TrueAsync(() => UnixSignals.ProcessState(processId) == 'T', "the paused etcd is stopped");
        // The other two still form a quorum and elect a new leader; etcdctl leaves the paused member out.
        Assert.NotSame(member, await cluster.GetLeaderAsync());
        await Elections.RetryAsync(() => cluster.PutAsync("pause/key", "written while the old leader was frozen"));

        member.Resume();

        Assert.False(member.IsPaused);
        await cluster.WaitHealthyAsync();
        var read = await Elections.RetryAsync(() => cluster.EtcdctlAsync("--endpoints=" + member.ClientUrl, "get", "pause/key", "--print-value-only"));
        Assert.Equal("written while the old leader was frozen", read.Trim());
    }

    [Fact]
    public async Task A_paused_member_can_be_killed_and_restarted()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 3 });
        var member = cluster.Members[0];
        var processId = member.ProcessId!.Value;
        member.Pause();
        await Eventually.TrueAsync(() => UnixSignals.ProcessState(processId) == 'T', "the paused etcd is stopped");

        await member.KillAsync();

        Assert.False(member.IsRunning);
        Assert.False(member.IsPaused);
        Assert.False(UnixSignals.IsAlive(processId));

        await member.RestartAsync();
        await cluster.WaitHealthyAsync();
        await Elections.RetryAsync(() => cluster.PutAsync("pause/killed", "back"));
        Assert.Equal("back", await Elections.RetryAsync(() => cluster.GetAsync("pause/killed")));
    }
}
