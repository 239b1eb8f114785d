
namespace EtcdConfiguration.Testing.Tests;

public sealed class AuthTests
{
    [Fact]
    public async Task A_read_only_user_reads_its_prefix_and_cannot_write()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { AuthTokenTtlSeconds = 60 });
        await cluster.PutAsync("app/setting", "42");
        await cluster.PutAsync("other/secret", "hidden");

        await cluster.EnableAuthAsync("root-pw");
        await cluster.AddUserAsync("reader", "reader-pw", "app-reader", "app/", readOnly: true);

        Assert.Equal("root-pw", cluster.RootPassword);
        var commandLine = (await File.ReadAllTextAsync($"/proc/{cluster.Members[0].ProcessId}/cmdline")).Split('\0');
        Assert.Equal("60", commandLine[Array.IndexOf(commandLine, "--auth-token-ttl") + 1]);
        // Root is used by default once auth is on.
        Assert.Equal("42", await cluster.GetAsync("app/setting"));
        Assert.Contains("reader", await cluster.EtcdctlAsync("user", "list"), StringComparison.Ordinal);

        var read = await cluster.EtcdctlAsync("--user=reader:reader-pw", "get", "app/setting", "--print-value-only");
        Assert.Equal("42", read.Trim());
        var write = await Assert.ThrowsAsync<EtcdctlException>(() => cluster.EtcdctlAsync("--user=reader:reader-pw", "put", "app/setting", "43"));
        Assert.Contains("permission denied", write.StandardError, StringComparison.Ordinal);
        var outside = await Assert.ThrowsAsync<EtcdctlException>(() => cluster.EtcdctlAsync("--user=reader:reader-pw", "get", "other/secret"));
        Assert.Contains("permission denied", outside.StandardError, StringComparison.Ordinal);
        var anonymous = await Assert.ThrowsAsync<EtcdctlException>(() => cluster.EtcdctlAsync("--user=nobody:wrong", "get", "app/setting"));
        Assert.Contains("authentication failed", anonymous.StandardError, StringComparison.Ordinal);
        Assert.Equal("42", await cluster.GetAsync("app/setting"));
    }

    [Fact]
    public async Task A_read_write_user_can_write_inside_its_prefix_only()
    {
        await using var cluster = await EtcdCluster.StartAsync();
        await cluster.EnableAuthAsync("root-pw");
        await cluster.AddUserAsync("writer", "writer-pw", "app-writer", "app/", readOnly: false);

        await cluster.EtcdctlAsync("--user=writer:writer-pw", "put", "app/new", "1");

        Assert.Equal("1", await cluster.GetAsync("app/new"));
        await Assert.ThrowsAsync<EtcdctlException>(() => cluster.EtcdctlAsync("--user=writer:writer-pw", "put", "apq", "1"));
    }
}
