namespace EtcdConfiguration.Tool.Tests;

/// <summary>Authentication: the password comes from ETCD_CONFIG_PASSWORD and never appears in any output.</summary>
public sealed class AuthTests(EtcdFixture fixture) : IClassFixture<EtcdFixture>
{
    private const string Password = "pa55-w0rd-never-shown";

    [Fact]
    public async Task ThePasswordComesFromTheEnvironmentAndAWrongOneNamesOnlyTheUser()
    {
        var p = EtcdFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "Banner", "hello");
        await fixture.Cluster.EnableAuthAsync("root-" + Password);
        await fixture.Cluster.AddUserAsync("deployer", Password, "deployer-role", p, readOnly: false);

        var ok = await ToolRun.RunAsync(
            ["--endpoints", fixture.Cluster.Endpoints, "--prefix", p, "--user", "deployer", "set", "Banner", "changed"],
            environment: name => name == "ETCD_CONFIG_PASSWORD" ? Password : null);
        var wrong = await ToolRun.RunAsync(
            ["--endpoints", fixture.Cluster.Endpoints, "--prefix", p, "--user", "deployer", "check"],
            environment: name => name == "ETCD_CONFIG_PASSWORD" ? "not-" + Password : null);

        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("'deployer'", wrong.Err);
        Assert.DoesNotContain(Password, ok.Out + ok.Err + wrong.Out + wrong.Err);
        Assert.Single(wrong.Err.Trim().Split('\n'));
    }
}
