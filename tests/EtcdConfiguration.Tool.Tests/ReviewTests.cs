using System.Globalization;
using System.Text.Json;

namespace EtcdConfiguration.Tool.Tests;

/// <summary><c>diff</c>, <c>watch</c> and <c>history</c>: reviewing configuration as the provider sees it.</summary>
public sealed class ReviewTests(EtcdFixture fixture) : IClassFixture<EtcdFixture>
{
    private static string Rev(long revision) => revision.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task DiffAgainstAFileListsConfigurationKeyChangesAndExitsOne()
    {
        var p = EtcdFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "Checkout", """{ "MaxItems": 10, "Gone": "x" }""");
        using var file = new TempFile(content: """{ "Checkout": { "MaxItems": 25, "Banner": "hi" } }""");

        var run = await fixture.RunAsync(p, "diff", file.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(
            ["+ Checkout:Banner = \"hi\"", "- Checkout:Gone (was \"x\")", "~ Checkout:MaxItems: \"10\" → \"25\""],
            run.Out.Trim().Split('\n'));

        var json = await fixture.RunAsync(p, "diff", file.Path, "--json");
        using var changes = JsonDocument.Parse(json.Out);
        Assert.Equal(["added", "removed", "changed"], changes.RootElement.EnumerateArray().Select(c => c.GetProperty("change").GetString()));
        Assert.DoesNotContain("\u001b[", run.Out);
    }

    [Fact]
    public async Task DiffIsColouredOnATerminal()
    {
        var p = EtcdFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "Gone", "x");
        using var file = new TempFile(content: """{ "Added": "y" }""");

        var run = await ToolRun.RunAsync(["--endpoints", fixture.Cluster.Endpoints, "--prefix", p, "diff", file.Path], color: true);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["\u001b[32m+ Added = \"y\"\u001b[0m", "\u001b[31m- Gone (was \"x\")\u001b[0m"], run.Out.Trim().Split('\n'));
    }

    [Fact]
    public async Task DiffOfAnImportedFileIsEmptyAndExitsZero()
    {
        var p = EtcdFixture.NewPrefix();
        using var file = new TempFile(content: ImportExportTests.Settings);
        Assert.Equal(0, (await fixture.RunAsync(p, "import", file.Path)).ExitCode);

        var run = await fixture.RunAsync(p, "diff", file.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact]
    public async Task DiffBetweenRevisionsShowsOldAndNew()
    {
        var p = EtcdFixture.NewPrefix();
        var a = (await fixture.Client.KV.PutAsync(p + "Banner", "old")).Header.Revision;
        await fixture.Client.KV.PutAsync(p + "Banner", "new");
        var b = (await fixture.Client.KV.PutAsync(p + "Extra", "e")).Header.Revision;
        await fixture.Client.KV.DeleteAsync(p + "Extra");

        var between = await fixture.RunAsync(p, "diff", "--from-revision", Rev(a), "--to-revision", Rev(b));
        var same = await fixture.RunAsync(p, "diff", "--from-revision", Rev(a), "--to-revision", Rev(a));

        Assert.Equal(1, between.ExitCode);
        Assert.Equal(["~ Banner: \"old\" → \"new\"", "+ Extra = \"e\""], between.Out.Trim().Split('\n'));
        Assert.Equal(0, same.ExitCode);
    }

    [Fact]
    public async Task DiffWithNeitherFileNorRevisionIsAUsageError()
    {
        var run = await fixture.RunAsync(EtcdFixture.NewPrefix(), "diff");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--from-revision", run.Err);
    }

    [Fact]
    public async Task WatchPrintsEachChangeAsTheProviderSeesItWithOverridesLabelled()
    {
        var p = EtcdFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "Checkout/MaxItems", "10");
        var err = new NotifyingWriter("Watching");
        var watching = ToolRun.RunAsync(["--endpoints", fixture.Cluster.Endpoints, "--prefix", p, "watch", "--count", "4"], err: err);
        await err.Seen.WaitAsync(EtcdFixture.EtcdAnswers);

        var changed = (await fixture.Client.KV.PutAsync(p + "Checkout/MaxItems", "25")).Header.Revision;
        var blob = (await fixture.Client.KV.PutAsync(p + "Db", """{ "Host": "h", "Port": 5432 }""")).Header.Revision;
        var overridden = (await fixture.Client.KV.PutAsync(p + ".overrides/Checkout/MaxItems", "99")).Header.Revision;
        var run = await watching.WaitAsync(EtcdFixture.EtcdAnswers);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(
            [
                $"rev {changed} ~ Checkout:MaxItems: \"10\" → \"25\"",
                $"rev {blob} + Db:Host = \"h\"",
                $"rev {blob} + Db:Port = \"5432\"",
                $"rev {overridden} override + Checkout:MaxItems = \"99\"",
            ],
            run.Out.Trim().Split('\n'));
    }

    [Fact]
    public async Task HistoryEndsWhenTheLatestWritesAreOutsideThePrefix()
    {
        var p = EtcdFixture.NewPrefix();
        var created = (await fixture.Client.KV.PutAsync(p + "Banner", "one")).Header.Revision;
        var removed = (await fixture.Client.KV.DeleteAsync(p + "Banner")).Header.Revision;
        for (int i = 0; i < 5; i++)
        {
            await fixture.Client.KV.PutAsync(EtcdFixture.NewPrefix() + "Elsewhere", "not this prefix");
        }

        var run = await fixture.RunAsync(p, "history").WaitAsync(EtcdFixture.EtcdAnswers);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(
            [$"rev {created} + Banner = \"one\"", $"rev {removed} - Banner (was \"one\")"],
            run.Out.Trim().Split('\n')[1..]);
    }

    [Fact]
    public async Task HistoryListsEveryRevisionOfAKeyWithItsValue()
    {
        var p = EtcdFixture.NewPrefix();
        var first = (await fixture.Client.KV.PutAsync(p + "Checkout/MaxItems", "10")).Header.Revision;
        await fixture.Client.KV.PutAsync(p + "Other", "not shown");
        var second = (await fixture.Client.KV.PutAsync(p + "Checkout", """{ "MaxItems": 20, "Banner": "b" }""")).Header.Revision;
        var third = (await fixture.Client.KV.DeleteAsync(p + "Checkout/MaxItems")).Header.Revision;

        var run = await fixture.RunAsync(p, "history", "Checkout:MaxItems");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Out.Trim().Split('\n');
        Assert.Contains("nothing has been compacted", lines[0]);
        Assert.Equal(
            [$"rev {first} + Checkout:MaxItems = \"10\"", $"rev {third} ~ Checkout:MaxItems: \"10\" → \"20\""],
            lines[1..]);
        Assert.True(second < third);
    }

    /// <summary>A writer that signals when a line containing some text has been written.</summary>
    internal sealed class NotifyingWriter(string marker) : StringWriter
    {
        private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Seen => _seen.Task;

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.Contains(marker, StringComparison.Ordinal) == true)
            {
                _seen.TrySetResult();
            }
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }
    }
}
