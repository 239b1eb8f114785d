namespace EtcdConfiguration.Tool.Tests;

/// <summary>Usage, connection and authentication errors: exit 2 and one line naming the endpoint, key or user.</summary>
public sealed class CommandLineTests
{
    public static TheoryData<string> Commands => ["import", "export", "diff", "watch", "history", "rollback", "set", "delete", "check"];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task HelpOfEveryCommandShowsAnExample(string command)
    {
        var run = await ToolRun.RunAsync([command, "--help"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Example", run.Out);
        Assert.Contains($"etcd-config {command}", run.Out);
        Assert.Contains("--endpoints", run.Out);
    }

    [Fact]
    public async Task UsageErrorsExitTwo()
    {
        var unknown = await ToolRun.RunAsync(["check", "--prefix", "/p/", "--bogus"]);
        var noCommand = await ToolRun.RunAsync([]);
        var noPrefix = await ToolRun.RunAsync(["check"]);

        Assert.Equal((2, 2, 2), (unknown.ExitCode, noCommand.ExitCode, noPrefix.ExitCode));
        Assert.Contains("--bogus", unknown.Err);
        Assert.Contains("--prefix", noPrefix.Err);
    }

    [Fact]
    public async Task AnUnreachableEndpointExitsTwoNamingIt()
    {
        using var refused = new EtcdConfiguration.Testing.RefusedEndpoint();

        var run = await ToolRun.RunAsync(["check", "--prefix", "/p/", "--endpoints", refused.Url]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(refused.Url, run.Err);
        Assert.Single(run.Err.Trim().Split('\n'));
    }

    [Fact]
    public async Task AUserWithoutAPasswordAndNoTerminalExitsTwoNamingTheUser()
    {
        var run = await ToolRun.RunAsync(["check", "--prefix", "/p/", "--user", "deployer"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'deployer'", run.Err);
        Assert.Contains("ETCD_CONFIG_PASSWORD", run.Err);
    }

    [Fact]
    public async Task EndpointsComeFromTheEnvironmentWhenNotGiven()
    {
        using var refused = new EtcdConfiguration.Testing.RefusedEndpoint();

        var run = await ToolRun.RunAsync(
            ["check", "--prefix", "/p/"],
            environment: name => name == "ETCD_CONFIG_ENDPOINTS" ? refused.Url : null);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(refused.Url, run.Err);
    }
}
