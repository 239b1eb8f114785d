using ClientTour;
using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Client.Tests.Tour;

/// <summary>The ClientTour sample runs against real etcd, and the README's client guide quotes it exactly.</summary>
public sealed class ClientTourTests
{
    [Fact]
    public async Task The_tour_walks_every_section_of_the_tutorial_against_real_etcd()
    {
        await using var cluster = await EtcdCluster.StartAsync();
        using var output = new StringWriter();
        // The tour dials with 5 s, as a reader would; a first call in this process would also pay for JIT, which on
        // a loaded machine can take longer. Warm the client up with a patient one.
        await using (var warmUp = await EtcdClient.ConnectAsync(new EtcdClientOptions { Endpoints = [.. cluster.ClientUrls], DialTimeout = TimeSpan.FromSeconds(30) }))
        {
            await warmUp.KV.GetAsync("/test/warm-up");
        }

        await ClientTour.Tour.RunAsync(cluster.Endpoints, output);

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("/test/key1 was \"Hello etcd!\"", lines);
        Assert.Contains("/test/key1 = \"Hello again!\" (version 2)", lines);
        Assert.Contains("prefix /test/: /test/key1, /test/key2", lines);
        Assert.Contains("prefix /test: /test/key1, /test/key2, /testspam", lines);
        Assert.Contains("limit 1: /test/key1, more = True, count = 3", lines);
        Assert.Contains(lines, l => l.StartsWith("lease ", StringComparison.Ordinal) && l.EndsWith(" holds /test/vanish", StringComparison.Ordinal));
        Assert.Contains("after revoke /test/vanish exists: False", lines);
        Assert.Contains("op get put-key = 123", lines);
        Assert.Contains("txn took the Then branch", lines);
        Assert.Equal(
            [
                "watch: Put config_key = \"{\"config1\": \"a\"}\" (was \"\")",
                "watch: Put config_key = \"{\"config1\": \"b\"}\" (was \"{\"config1\": \"a\"}\")",
                "watch: Delete config_key = \"\" (was \"{\"config1\": \"b\"}\")",
            ],
            lines.Where(l => l.StartsWith("watch:", StringComparison.Ordinal)));

        Assert.Equal("456", await cluster.GetAsync("put-key"));
        Assert.Equal("v2", await cluster.GetAsync("k2"));
        Assert.Equal("v3", await cluster.GetAsync("k3"));
        Assert.Null(await cluster.GetAsync("k4"));
        Assert.Null(await cluster.GetAsync("/test/vanish"));
    }

    [Fact]
    public void The_README_client_guide_quotes_every_snippet_of_the_tour_verbatim()
    {
        var snippets = ReadmeSnippets.Read("samples/ClientTour/Tour.cs");
        var readme = ReadmeSnippets.Readme();

        Assert.Equal(["connect", "put", "get", "lease", "op", "txn", "watch"], snippets.Select(s => s.Name));
        foreach (var (name, code) in snippets)
        {
            Assert.True(readme.Contains(code, StringComparison.Ordinal), $"README.md does not quote the '{name}' snippet of samples/ClientTour/Tour.cs verbatim.");
        }
    }
}
