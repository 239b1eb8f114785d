using System.Globalization;

namespace EtcdConfiguration.Tool.Tests;

/// <summary><c>rollback</c>: the prefix back to exactly what it held at a revision, guarded against concurrent writers.</summary>
public sealed class RollbackTests(EtcdFixture fixture) : IClassFixture<EtcdFixture>
{
    [Fact]
    public async Task RollbackAcrossDeletesRestoresExactlyTheStateAtTheRevision()
    {
        var p = EtcdFixture.NewPrefix();
        var kv = fixture.Client.KV;
        await kv.PutAsync(p + "Checkout/MaxItems", "10");
        await kv.PutAsync(p + "Checkout/Banner", "hello");
        await kv.PutAsync(p + "Db", """{ "Host": "h", "Ports": [1, 2] }""");
        var then = (await kv.PutAsync(p + "Removed/Later", "was here")).Header.Revision;
        var expected = fixture.AddEtcd(p);

        await kv.DeleteAsync(p + "Removed/Later");
        await kv.DeleteAsync(p + "Db");
        await kv.PutAsync(p + "Checkout/MaxItems", "99");
        await kv.PutAsync(p + "Added/Since", "new");
        await kv.PutAsync(p + "Removed/Later", "recreated");
        await kv.DeleteAsync(p + "Removed/Later");
        Assert.NotEqual(expected, fixture.AddEtcd(p));
        var n = then.ToString(CultureInfo.InvariantCulture);

        var dry = await fixture.RunAsync(p, "rollback", "--to-revision", n, "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains("+ Removed:Later = \"was here\"", dry.Out);
        Assert.Contains("- Added:Since (was \"new\")", dry.Out);
        Assert.Contains("~ Checkout:MaxItems: \"99\" → \"10\"", dry.Out);
        Assert.Equal("99", (await kv.GetAsync(p + "Checkout/MaxItems")).Kvs.Single().Value);

        var run = await fixture.RunAsync(p, "rollback", "--to-revision", n);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(expected, fixture.AddEtcd(p));
        var diff = await fixture.RunAsync(p, "diff", "--from-revision", n);
        Assert.True(diff.ExitCode == 0, diff.ToString());
    }

    [Fact]
    public async Task RollbackRacingAConcurrentWriterAbortsAndKeepsTheOtherWrite()
    {
        var p = EtcdFixture.NewPrefix();
        var then = (await fixture.Client.KV.PutAsync(p + "Banner", "old")).Header.Revision;
        await fixture.Client.KV.PutAsync(p + "Banner", "new");

        var run = await ToolRun.RunAsync(
            ["--endpoints", fixture.Cluster.Endpoints, "--prefix", p, "rollback", "--to-revision", then.ToString(CultureInfo.InvariantCulture)],
            beforeWrite: () => fixture.Client.KV.DeleteAsync(p + "Banner"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("another writer", run.Err);
        Assert.Empty((await fixture.Client.KV.GetAsync(p + "Banner")).Kvs);
    }

    [Fact]
    public async Task ARevisionInTheFutureIsRefused()
    {
        var p = EtcdFixture.NewPrefix();
        var now = (await fixture.Client.KV.PutAsync(p + "Banner", "x")).Header.Revision;

        var run = await fixture.RunAsync(p, "rollback", "--to-revision", (now + 1000).ToString(CultureInfo.InvariantCulture));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("does not exist yet", run.Err);
    }
}
