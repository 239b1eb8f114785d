using System.Text;
using EtcdConfiguration.Tool.Cli;
using EtcdConfiguration.Tool.Etcd;

namespace EtcdConfiguration.Tool.Tests;

/// <summary>The guarded writer on plans of several transactions, against real etcd.</summary>
public sealed class GuardedWriterTests(EtcdFixture fixture) : IClassFixture<EtcdFixture>
{
    [Fact]
    public async Task AKeyChangedSinceTheReadStopsItsTransactionInAPlanOfSeveralAndIsNotOverwritten()
    {
        var p = EtcdFixture.NewPrefix();
        var changed = (await fixture.Client.KV.PutAsync(p + "K250", "theirs")).Header.Revision;
        // The plan believes K250 absent, as if it read before the other writer: only the second transaction
        // (K127-K253) must fail.
        var writes = Enumerable.Range(0, 300)
            .Select(i => new PlannedWrite(Encoding.UTF8.GetBytes($"{p}K{i:000}"), Encoding.UTF8.GetBytes("ours"), 0))
            .ToList();

        var error = await Assert.ThrowsAsync<ToolException>(
            () => GuardedWriter.ApplyAsync(fixture.Client, p, new WritePlan(changed, writes, []), CancellationToken.None));

        Assert.Contains("2 of 3 transactions were applied", error.Message);
        Assert.Equal("theirs", (await fixture.Client.KV.GetAsync(p + "K250")).Kvs.Single().Value);
        var ours = await fixture.Client.KV.GetAsync(p + "K", new Client.GetOptions { Prefix = true, CountOnly = true });
        Assert.Equal(127 + 46 + 1, ours.Count); // the first and third transactions, and "theirs"
    }

    [Fact]
    public async Task ThePrefixGuardOfTheFirstTransactionCatchesANewKeyAnywhereUnderThePrefix()
    {
        var p = EtcdFixture.NewPrefix();
        var read = (await fixture.Client.KV.GetAsync(p)).Header.Revision;
        await fixture.Client.KV.PutAsync(p + "Unrelated", "new");
        var writes = new List<PlannedWrite> { new(Encoding.UTF8.GetBytes(p + "Mine"), Encoding.UTF8.GetBytes("v"), 0) };

        var error = await Assert.ThrowsAsync<ToolException>(
            () => GuardedWriter.ApplyAsync(fixture.Client, p, new WritePlan(read, writes, []), CancellationToken.None));

        Assert.Contains("nothing was written", error.Message);
        Assert.Empty((await fixture.Client.KV.GetAsync(p + "Mine")).Kvs);
    }
}
