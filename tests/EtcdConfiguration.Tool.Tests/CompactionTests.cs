using System.Globalization;
using System.Text.Json;

namespace EtcdConfiguration.Tool.Tests;

/// <summary>Where etcd's history ends: compaction, with a member of its own so other tests keep their history.</summary>
public sealed class CompactionTests(EtcdFixture fixture) : IClassFixture<EtcdFixture>
{
    [Fact]
    public async Task HistorySaysWhereCompactionEndedItAndStartsFromTheStateThen()
    {
        var p = EtcdFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "Banner", "forgotten");
        await fixture.Client.KV.PutAsync(p + "Banner", "kept");
        var compacted = await fixture.Cluster.CompactAsync();
        var later = (await fixture.Client.KV.PutAsync(p + "Banner", "latest")).Header.Revision;

        var run = await fixture.RunAsync(p, "history", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var history = JsonDocument.Parse(run.Out);
        Assert.True(history.RootElement.GetProperty("compacted").GetBoolean());
        Assert.Equal(compacted, history.RootElement.GetProperty("from").GetInt64());
        var entries = history.RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal([compacted, later], entries.Select(e => e.GetProperty("revision").GetInt64()));
        Assert.Equal(["kept", "latest"], entries.Select(e => e.GetProperty("new").GetString()));
        Assert.DoesNotContain("forgotten", run.Out);

        var text = await fixture.RunAsync(p, "history");
        Assert.Contains($"etcd compacted its history before revision {compacted}", text.Out);
    }

    [Fact]
    public async Task ACompactedRevisionIsRefusedByRollbackExportAndDiff()
    {
        var p = EtcdFixture.NewPrefix();
        var old = (await fixture.Client.KV.PutAsync(p + "Banner", "old")).Header.Revision;
        await fixture.Client.KV.PutAsync(p + "Banner", "new");
        await fixture.Cluster.CompactAsync();
        var n = old.ToString(CultureInfo.InvariantCulture);

        var rollback = await fixture.RunAsync(p, "rollback", "--to-revision", n);
        var export = await fixture.RunAsync(p, "export", "--revision", n);
        var diff = await fixture.RunAsync(p, "diff", "--from-revision", n);

        foreach (var run in new[] { rollback, export, diff })
        {
            Assert.Equal(2, run.ExitCode);
            Assert.Contains($"Revision {n} of '{p}' is no longer in etcd's history", run.Err);
            Assert.Single(run.Err.Trim().Split('\n'));
        }

        Assert.Equal("new", (await fixture.Client.KV.GetAsync(p + "Banner")).Kvs.Single().Value);
    }
}
