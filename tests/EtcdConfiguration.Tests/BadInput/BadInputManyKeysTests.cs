using System.Diagnostics;
using EtcdConfiguration.Client;
using Microsoft.Extensions.Configuration;
using Xunit.Abstractions;

namespace EtcdConfiguration.Tests.BadInput;

/// <summary>
/// 100,000 keys under one prefix: the provider loads every one of them at etcd's revision, and a change to one of
/// them still arrives through the watch.
/// </summary>
public sealed class BadInputManyKeysTests(ProviderClusterFixture fixture, ITestOutputHelper output) : IClassFixture<ProviderClusterFixture>
{
    private const int Keys = 100_000;

    /// <summary>etcd's default <c>--max-txn-ops</c>.</summary>
    private const int PutsPerTxn = 128;

    private const int ConcurrentTxns = 4;

    [Fact]
    public async Task AHundredThousandKeysLoadExactlyAndAChangeToOneArrivesByWatch()
    {
        var p = ProviderClusterFixture.NewPrefix();
        var kv = fixture.Client.KV;
        var clock = Stopwatch.StartNew();

        var batches = Enumerable.Range(0, (Keys + PutsPerTxn - 1) / PutsPerTxn);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = ConcurrentTxns }, async (batch, cancellationToken) =>
        {
            var ops = Enumerable.Range(batch * PutsPerTxn, Math.Min(PutsPerTxn, Keys - (batch * PutsPerTxn)))
                .Select(i => Op.Put(Key(p, i), Value(i)))
                .ToArray();
            var response = await kv.Txn().Then(ops).CommitAsync(cancellationToken);
            Assert.True(response.Succeeded);
        });
        var (count, revision) = await ConfigurationView.EtcdCountAsync(fixture.Client, p);
        Assert.Equal(Keys, count);
        var written = clock.Elapsed;

        clock.Restart();
        using var root = fixture.Build(p, source => source.StartupTimeout = TimeSpan.FromSeconds(60));
        var loaded = clock.Elapsed;
        var provider = ConfigurationView.Provider(root);
        Assert.Equal(revision, provider.Revision);
        Assert.Equal(Keys, provider.Status.KeyCount);
        Assert.Empty(provider.Status.SkippedKeys);

        // Every child of the section, in order, with its value; then the whole configuration as an app walking it
        // sees it, which asks each of the 100,000 leaves for its children.
        clock.Restart();
        var section = root.GetSection("Keys");
        var children = section.GetChildren().ToList();
        var counted = clock.Elapsed;
        Assert.Equal(Enumerable.Range(0, Keys).Select(Name), children.Select(c => c.Key));
        Assert.Equal(Enumerable.Range(0, Keys).Select(Value), children.Select(c => c.Value));
        clock.Restart();
        var everything = root.AsEnumerable().ToList();
        var walked = clock.Elapsed;
        Assert.Equal(Keys + 1, everything.Count);
        Assert.Equal(
            Enumerable.Range(0, Keys).Select(i => $"Keys:{Name(i)}={Value(i)}").Order(StringComparer.Ordinal),
            everything.Where(e => e.Value is not null).Select(e => $"{e.Key}={e.Value}").Order(StringComparer.Ordinal));
        Assert.Equal(["Keys"], root.GetChildren().Select(c => c.Key));
        Assert.Equal(Value(0), section[Name(0)]);
        Assert.Equal(Value(Keys - 1), section[Name(Keys - 1)]);
        Assert.Null(section[Name(Keys)]);

        clock.Restart();
        await kv.PutAsync(Key(p, 54_321), "changed");
        await Eventually.ValueAsync(section, Name(54_321), "changed");
        await kv.DeleteAsync(Key(p, 7));
        await Eventually.ValueAsync(section, Name(7), null);
        var watched = clock.Elapsed;
        await ProviderWaits.StatusCaughtUpAsync(provider);
        (count, revision) = await ConfigurationView.EtcdCountAsync(fixture.Client, p);
        Assert.Equal(Keys - 1, count);
        Assert.Equal(revision, provider.Revision);
        Assert.Equal(Keys - 1, provider.Status.KeyCount);
        Assert.Equal(Keys - 1, section.GetChildren().Count());
        Assert.Equal(Value(54_320), section[Name(54_320)]);

        output.WriteLine(
            $"{Keys} keys: written in {written.TotalSeconds:0.0} s ({PutsPerTxn} puts a txn, {ConcurrentTxns} at once), "
            + $"loaded in {loaded.TotalSeconds:0.0} s, the section's children listed in {counted.TotalSeconds:0.00} s, "
            + $"AsEnumerable() in {walked.TotalSeconds:0.00} s, "
            + $"a change and a delete through the watch in {watched.TotalSeconds:0.00} s");
    }

    private static string Name(int i) => $"{i:D6}";

    private static string Key(string prefix, int i) => $"{prefix}Keys/{Name(i)}";

    private static string Value(int i) => $"value-{i}";
}
