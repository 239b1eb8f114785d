using System.Text;
using EtcdConfiguration.Client;

namespace EtcdConfiguration.Tool.Tests;

/// <summary><c>import</c>'s guards: dry runs, pruning, refusals, transactions, and a concurrent writer.</summary>
public sealed class ImportSafetyTests(EtcdFixture fixture) : IClassFixture<EtcdFixture>
{
    [Fact]
    public async Task ADryRunPrintsTheChangesAndWritesNothing()
    {
        var p = EtcdFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "Checkout/MaxItems", "10");
        using var file = new TempFile(content: """{ "Checkout": { "MaxItems": 25, "Banner": "hi" } }""");
        var revision = (await fixture.Client.KV.GetAsync(p)).Header.Revision;

        var run = await fixture.RunAsync(p, "import", file.Path, "--dry-run");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("~ Checkout:MaxItems: \"10\" → \"25\"", run.Out);
        Assert.Contains("+ Checkout:Banner = \"hi\"", run.Out);
        Assert.Contains("would write 2 etcd keys", run.Out);
        Assert.Equal(revision, (await fixture.Client.KV.GetAsync(p)).Header.Revision);
    }

    [Fact]
    public async Task PruneDeletesWhatTheFileNoLongerHasButNeverAnOverride()
    {
        var p = EtcdFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "Old/Setting", "gone soon");
        await fixture.Client.KV.PutAsync(p + "Db", """{ "Host": "blob" }""");
        await fixture.Client.KV.PutAsync(p + ".overrides/Db/Host", "temporary");
        using var file = new TempFile(content: """{ "Db": { "Host": "file" } }""");

        var kept = await fixture.RunAsync(p, "import", file.Path);
        Assert.True(kept.ExitCode == 0, kept.ToString());
        Assert.Equal("gone soon", fixture.AddEtcd(p)["OLD:SETTING"]);

        var pruned = await fixture.RunAsync(p, "import", file.Path, "--prune");

        Assert.True(pruned.ExitCode == 0, pruned.ToString());
        var withOverride = EtcdFixture.AddJsonFile(file.Path);
        withOverride["DB:HOST"] = "temporary";
        Assert.Equal(withOverride, fixture.AddEtcd(p));
        Assert.Equal("temporary", (await fixture.Client.KV.GetAsync(p + ".overrides/Db/Host")).Kvs.Single().Value);
    }

    [Fact]
    public async Task AnImportThatAnExistingKeyWouldHideIsRefusedNamingTheKey()
    {
        var p = EtcdFixture.NewPrefix();
        // Equal depth, ordinally greater: the lower-case key wins over the file's spelling.
        await fixture.Client.KV.PutAsync(p + "db/host", "existing-secret");
        using var file = new TempFile(content: """{ "Db": { "Host": "from-file" } }""");

        var run = await fixture.RunAsync(p, "import", file.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'Db:Host'", run.Err);
        Assert.Contains("--prune", run.Err);
        Assert.DoesNotContain("existing-secret", run.Err + run.Out);
        Assert.DoesNotContain("from-file", run.Err + run.Out);
        Assert.Empty((await fixture.Client.KV.GetAsync(p + "Db/Host")).Kvs);
        Assert.Equal(0, (await fixture.RunAsync(p, "import", file.Path, "--prune")).ExitCode);
        Assert.Equal("from-file", fixture.AddEtcd(p)["DB:HOST"]);
    }

    [Fact]
    public async Task ALargeImportSaysHowManyTransactionsItUsedAndAtomicUsesOneDocument()
    {
        var p = EtcdFixture.NewPrefix();
        var json = new StringBuilder("{ \"Items\": {");
        json.AppendJoin(',', Enumerable.Range(0, 300).Select(i => $"\"K{i}\": \"v{i}\""));
        json.Append("} }");
        using var file = new TempFile(content: json.ToString());

        var split = await fixture.RunAsync(p, "import", file.Path);

        Assert.True(split.ExitCode == 0, split.ToString());
        Assert.Contains("in 3 transactions", split.Out);
        Assert.Equal(EtcdFixture.AddJsonFile(file.Path), fixture.AddEtcd(p));

        var q = EtcdFixture.NewPrefix();
        var atomic = await fixture.RunAsync(q, "import", file.Path, "--atomic");

        Assert.True(atomic.ExitCode == 0, atomic.ToString());
        Assert.Contains("in 1 transaction", atomic.Out);
        Assert.Contains("document layout", atomic.Err);
        Assert.Single((await fixture.Client.KV.GetAsync(q, new GetOptions { Prefix = true })).Kvs);
        Assert.Equal(EtcdFixture.AddJsonFile(file.Path), fixture.AddEtcd(q));
    }

    [Fact]
    public async Task AnImportRacingAConcurrentWriterFailsWithExitTwoAndOverwritesNothing()
    {
        var p = EtcdFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "Checkout/MaxItems", "10");
        using var file = new TempFile(content: """{ "Checkout": { "MaxItems": 25, "Banner": "from the file" } }""");

        var run = await ToolRun.RunAsync(
            ["--endpoints", fixture.Cluster.Endpoints, "--prefix", p, "import", file.Path],
            beforeWrite: () => fixture.Client.KV.PutAsync(p + "Checkout/MaxItems", "concurrent"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("another writer", run.Err);
        Assert.Contains("nothing was written", run.Err);
        Assert.Equal("concurrent", (await fixture.Client.KV.GetAsync(p + "Checkout/MaxItems")).Kvs.Single().Value);
        Assert.Empty((await fixture.Client.KV.GetAsync(p + "Checkout/Banner")).Kvs);
    }

    [Fact]
    public async Task AConcurrentWriteElsewhereUnderThePrefixAlsoAbortsTheImport()
    {
        var p = EtcdFixture.NewPrefix();
        using var file = new TempFile(content: """{ "A": "1" }""");

        var run = await ToolRun.RunAsync(
            ["--endpoints", fixture.Cluster.Endpoints, "--prefix", p, "import", file.Path, "--prune"],
            beforeWrite: () => fixture.Client.KV.PutAsync(p + "Unrelated", "new key"));

        Assert.Equal(2, run.ExitCode);
        Assert.Empty((await fixture.Client.KV.GetAsync(p + "A")).Kvs);
        Assert.Equal("new key", (await fixture.Client.KV.GetAsync(p + "Unrelated")).Kvs.Single().Value);
    }

    [Fact]
    public async Task AFileThatIsNotAnAppSettingsDocumentIsAUsageError()
    {
        var p = EtcdFixture.NewPrefix();
        using var file = new TempFile(content: "[1, 2]");

        var run = await fixture.RunAsync(p, "import", file.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(file.Path, run.Err);
        Assert.Single(run.Err.Trim().Split('\n'));
    }
}
