using EtcdConfiguration.Client.Tests.KV;

namespace EtcdConfiguration.Client.Tests.Concurrency;

/// <summary>The RecipesTour sample runs against real etcd, and the README quotes it and the LeaderWorker sample exactly.</summary>
public sealed class RecipesTourTests(SingleMemberFixture fixture) : IClassFixture<SingleMemberFixture>
{
    [Fact]
    public async Task The_recipes_tour_runs_against_real_etcd()
    {
        using var output = new StringWriter();

        await RecipesTour.Recipes.RunAsync(fixture.Client, output);

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^session lease [0-9a-f]+, lost: False$", lines[0]);
        Assert.Matches("^holding /locks/report/[0-9a-f]+$", lines[1]);
        Assert.Equal("guarded write applied: True", lines[2]);
        Assert.Matches("^leader /elections/scheduler/[0-9a-f]+ = node-1 at 10.0.0.7$", lines[3]);
        Assert.Equal("tenant keys: db", lines[4]);
        Assert.Equal("stored as /tenant-a/db", lines[5]);
        Assert.Equal(lines[1]["holding ".Length..], await fixture.Cluster.GetAsync("/report/owner"));
        Assert.Equal(0, (await fixture.Client.KV.GetAsync("/locks/report/", new GetOptions { Prefix = true, CountOnly = true })).Count);
        Assert.Equal(0, (await fixture.Client.KV.GetAsync("/elections/scheduler/", new GetOptions { Prefix = true, CountOnly = true })).Count);
    }

    [Theory]
    [InlineData("samples/RecipesTour/Recipes.cs", new[] { "session", "mutex", "election", "namespace" })]
    [InlineData("samples/LeaderWorker/Worker.cs", new[] { "worker" })]
    public void The_README_quotes_every_snippet_verbatim(string sample, string[] names)
    {
        var snippets = ReadmeSnippets.Read(sample);
        var readme = ReadmeSnippets.Readme();

        Assert.Equal(names, snippets.Select(s => s.Name));
        foreach (var (name, snippet) in snippets)
        {
            Assert.True(readme.Contains(snippet, StringComparison.Ordinal), $"README.md does not quote the '{name}' snippet of {sample} verbatim.");
        }
    }
}
