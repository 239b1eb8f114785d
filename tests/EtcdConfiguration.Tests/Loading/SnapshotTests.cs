using System.Globalization;
using EtcdConfiguration.Client;

namespace EtcdConfiguration.Tests.Loading;

/// <summary>The first load reads a prefix in pages, all at one revision, whatever its size.</summary>
public sealed class SnapshotTests(ProviderClusterFixture fixture) : IClassFixture<ProviderClusterFixture>
{
    [Fact]
    public async Task AMultiPageLoadDuringWritesIsEtcdsStateAtOneRevision()
    {
        // Three pages of 2,000 keys. A writer keeps setting the first, middle and last key to one counter in a
        // transaction; a page read at another revision than the first would give them different counters.
        const int Keys = 4500;
        const int MaxWriterTransactions = 20_000;
        var p = ProviderClusterFixture.NewPrefix();
        for (var start = 0; start < Keys; start += 100)
        {
            await fixture.Client.KV.Txn()
                .Then([.. Enumerable.Range(start, 100).Select(i => Op.Put(Key(p, i), "0"))])
                .CommitAsync();
        }

        using var stop = new CancellationTokenSource();
        var writes = 0;
        var writer = Task.Run(async () =>
        {
            for (var n = 1; n <= MaxWriterTransactions && !stop.IsCancellationRequested; n++)
            {
                var value = n.ToString(CultureInfo.InvariantCulture);
                await fixture.Client.KV.Txn()
                    .Then(Op.Put(Key(p, 0), value), Op.Put(Key(p, Keys / 2), value), Op.Put(Key(p, Keys - 1), value))
                    .CommitAsync();
                writes = n;
            }
        });
        await Eventually.TrueAsync(() => Volatile.Read(ref writes) > 0, "the writer has started");

        // Without reloadOnChange the data stays at the loaded revision, to be compared with etcd's at that revision.
        using var root = fixture.Build(p, source => source.ReloadOnChange = false);
        await stop.CancelAsync();
        await Eventually.WithinAsync(writer, "the writer stops");

        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        var atLoad = await fixture.Client.KV.GetAsync(p, new GetOptions { Prefix = true, Revision = provider.Revision });
        Assert.Equal(Keys, atLoad.Kvs.Count);
        Assert.Equal(Keys, root.GetSection("Big").GetChildren().Count());
        var mismatches = atLoad.Kvs
            .Where(kv => root[kv.Key[p.Length..].Replace('/', ':')] != kv.Value)
            .Select(kv => kv.Key)
            .ToList();
        Assert.Empty(mismatches);
        Assert.Equal(root["Big:K0000"], root[$"Big:K{Keys - 1:0000}"]);
    }

    [Fact]
    public async Task APrefixLargerThanOneResponseLoadsInSmallerPages()
    {
        // 2,000 values of 1 KiB do not fit the 1 MiB responses this client accepts: the pages must shrink.
        const int Keys = 2000;
        var p = ProviderClusterFixture.NewPrefix();
        var value = new string('v', 1024);
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Keys / 100),
            new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (batch, cancellationToken) => await fixture.Client.KV.Txn()
                .Then([.. Enumerable.Range(batch * 100, 100).Select(i => Op.Put(Key(p, i), value + i.ToString(CultureInfo.InvariantCulture)))])
                .CommitAsync(cancellationToken));

        const int MaxReceive = 1024 * 1024;
        using (var small = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = EtcdClient.SplitEndpoints(fixture.Cluster.Endpoints),
            MaxReceiveMessageSize = MaxReceive,
            DialTimeout = TestTimeouts.EtcdAnswers,
        }))
        {
            await Assert.ThrowsAnyAsync<EtcdException>(() => small.KV.GetAsync(p, new GetOptions { Prefix = true }));
        }

        // No other provider of this class is alive, so this source creates the pooled client and configures it.
        using var root = fixture.Build(p, source => source.ConfigureClient = options => options.MaxReceiveMessageSize = MaxReceive);

        Assert.Equal(Keys, root.GetSection("Big").GetChildren().Count());
        Assert.Equal(value + "0", root["Big:K0000"]);
        Assert.Equal(value + (Keys - 1).ToString(CultureInfo.InvariantCulture), root[$"Big:K{Keys - 1:0000}"]);
    }

    private static string Key(string prefix, int i) => $"{prefix}Big/K{i:0000}";
}
