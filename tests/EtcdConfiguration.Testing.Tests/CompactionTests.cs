
namespace EtcdConfiguration.Testing.Tests;

public sealed class CompactionTests
{
    [Fact]
    public async Task Compaction_removes_old_revisions()
    {
        await using var cluster = await EtcdCluster.StartAsync();
        await cluster.PutAsync("compact/key", "v1");
        var first = await cluster.GetRevisionAsync();
        await cluster.PutAsync("compact/key", "v2");
        var second = await cluster.GetRevisionAsync();
        Assert.Equal(first + 1, second);

        Assert.Contains("v1", await cluster.EtcdctlAsync("get", "compact/key", "--rev=" + first), StringComparison.Ordinal);

        var compacted = await cluster.CompactAsync();

        Assert.Equal(second, compacted);
        var error = await Assert.ThrowsAsync<EtcdctlException>(() => cluster.EtcdctlAsync("get", "compact/key", "--rev=" + first));
        Assert.Contains("required revision has been compacted", error.StandardError, StringComparison.Ordinal);
        Assert.NotEqual(0, error.ExitCode);
        Assert.Equal("v2", await cluster.GetAsync("compact/key"));
    }
}
