
namespace EtcdConfiguration.Testing.Tests;

public sealed class StartFailureTests
{
    [Fact]
    public async Task A_member_that_exits_during_start_fails_the_start_with_its_log()
    {
        var options = new EtcdClusterOptions { ExtraArguments = { "--no-such-flag" } };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => EtcdCluster.StartAsync(options));

        Assert.Contains("etcd member m0 exited", error.Message, StringComparison.Ordinal);
        Assert.Contains("--no-such-flag", error.Message, StringComparison.Ordinal);
        Assert.Contains("flag provided but not defined", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Etcdctl_failures_carry_stderr_and_input_can_be_piped()
    {
        await using var cluster = await EtcdCluster.StartAsync();

        await cluster.EtcdctlWithInputAsync("piped value", "put", "stdin/key");

        Assert.Equal("piped value", await cluster.GetAsync("stdin/key"));
        var error = await Assert.ThrowsAsync<EtcdctlException>(() => cluster.EtcdctlAsync("no-such-command"));
        Assert.NotEqual(0, error.ExitCode);
        Assert.False(string.IsNullOrWhiteSpace(error.StandardError));
        Assert.Contains(error.StandardError.Trim(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Etcdctl_needs_a_running_member()
    {
        await using var cluster = await EtcdCluster.StartAsync();
        await cluster.Members[0].KillAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.GetAsync("any"));
    }
}
