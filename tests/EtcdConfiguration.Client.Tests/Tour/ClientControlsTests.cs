using ClientControls;
using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Client.Tests.Tour;

/// <summary>The ClientControls sample runs against real etcd, and the README's client guide quotes it exactly.</summary>
public sealed class ClientControlsTests
{
    [Fact]
    public async Task The_controls_sample_runs_against_real_etcd()
    {
        await using var cluster = await EtcdCluster.StartAsync();
        using var output = new StringWriter();

        await Controls.RunAsync(cluster.Endpoints, output);

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("lease ", StringComparison.Ordinal) && l.EndsWith(" renewed for 10 s", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("stopped keeping lease ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("KV.Put not sent: ", StringComparison.Ordinal) && l.EndsWith(" bytes is over the limit of 1048576", StringComparison.Ordinal));
        Assert.Contains($"endpoints: {cluster.ClientUrls[0]}", lines);
        Assert.Equal("the watch ended", lines[^1]);
        Assert.Null(await cluster.GetAsync("/controls/big"));
    }

    [Fact]
    public void The_README_client_guide_quotes_every_snippet_of_the_controls_sample_verbatim()
    {
        var snippets = ReadmeSnippets.Read(Path.Combine("samples", "ClientControls", "Controls.cs"));
        var readme = ReadmeSnippets.Readme();

        Assert.Equal(["controls_options", "lease_loss", "max_send", "set_endpoints", "close_watches"], snippets.Select(s => s.Name));
        foreach (var (name, code) in snippets)
        {
            Assert.True(readme.Contains(code, StringComparison.Ordinal), $"README.md does not quote the '{name}' snippet of samples/ClientControls/Controls.cs verbatim.");
        }
    }
}
