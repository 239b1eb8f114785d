
namespace EtcdConfiguration.Testing.Tests;

public sealed class SingleMemberTests
{
    [Fact]
    public async Task A_single_member_starts_and_serves_put_and_get_through_etcdctl()
    {
        await using var cluster = await EtcdCluster.StartAsync();

        var member = Assert.Single(cluster.Members);
        Assert.True(member.IsRunning);
        Assert.False(member.IsPaused);
        Assert.StartsWith("http://127.0.0.1:", member.ClientUrl, StringComparison.Ordinal);
        Assert.Equal(member.ClientUrl, cluster.Endpoints);
        Assert.Null(cluster.Certificates);

        await cluster.PutAsync("harness/greeting", "hello etcd");
        await cluster.PutAsync("-dash", "-value with spaces");
        await cluster.PutAsync("harness/empty", string.Empty);

        Assert.Equal("hello etcd", await cluster.GetAsync("harness/greeting"));
        Assert.Equal("-value with spaces", await cluster.GetAsync("-dash"));
        Assert.Equal(string.Empty, await cluster.GetAsync("harness/empty"));
        Assert.Null(await cluster.GetAsync("harness/absent"));
        Assert.Contains("hello etcd", await cluster.EtcdctlAsync("get", "harness/greeting", "--print-value-only"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_kills_every_member_and_deletes_its_data()
    {
        var cluster = await EtcdCluster.StartAsync();
        var member = cluster.Members[0];
        var processId = member.ProcessId!.Value;
        var directory = member.DataDirectory;
        Assert.True(Directory.Exists(directory));

        await cluster.DisposeAsync();

        Assert.False(Directory.Exists($"/proc/{processId}"), $"etcd process {processId} still exists after dispose");
        Assert.False(Directory.Exists(directory));
        Assert.False(Directory.Exists(Path.GetDirectoryName(directory)));
        Assert.False(member.IsRunning);
        Assert.Null(member.ProcessId);
    }
}
