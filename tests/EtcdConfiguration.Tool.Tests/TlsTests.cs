using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Tool.Tests;

/// <summary>The TLS options against a member that requires client certificates (<c>--client-cert-auth</c>).</summary>
public sealed class TlsTests : IAsyncLifetime
{
    private EtcdCluster _cluster = null!;

    public async Task InitializeAsync() =>
        _cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 1, Tls = true, ClientCertAuth = true });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task CaCertAndClientCertificateReachAMemberThatRequiresThem()
    {
        var certificates = _cluster.Certificates!;
        var p = EtcdFixture.NewPrefix();
        using var file = new TempFile(content: """{ "Checkout": { "MaxItems": 25 } }""");
        string[] tls = ["--endpoints", _cluster.Endpoints, "--prefix", p, "--cacert", certificates.CaCertificateFile];

        var import = await ToolRun.RunAsync([.. tls, "--cert", certificates.ClientCertificateFile, "--key", certificates.ClientKeyFile, "import", file.Path]);
        var withoutClientCertificate = await ToolRun.RunAsync([.. tls, "check"]);

        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Equal("25", await _cluster.GetAsync(p + "Checkout/MaxItems"));
        Assert.Equal(2, withoutClientCertificate.ExitCode);
        Assert.Contains(_cluster.Endpoints.Split(',')[0], withoutClientCertificate.Err);
        Assert.Single(withoutClientCertificate.Err.Trim().Split('\n'));
    }
}
