using System.Diagnostics;
using System.Globalization;
using EtcdConfiguration.Client;
using EtcdConfiguration.Testing;
using EtcdConfiguration.Tests.Provider;
using Microsoft.Extensions.Configuration;
using Xunit.Abstractions;

namespace EtcdConfiguration.Tests.Faults;

/// <summary>
/// The member an app's watch is on dies or freezes while configuration keeps changing: with default settings the
/// provider moves to another member, and at the end its configuration is exactly etcd's, every put and delete
/// included. The time until changes flow again is printed (aims: 5 s after a kill, 15 s after a freeze), never
/// asserted.
/// </summary>
[Collection(FaultTestGroup.Name)]
public sealed class ProviderFailoverTests(ITestOutputHelper output)
{
    private const string Prefix = "/app/";

    /// <summary>Bounds each wait; far above the aims, it only ends a test that would otherwise hang.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Killing_the_member_the_watch_is_on_loses_no_update()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 3 });
        using var root = await StartAppAsync(cluster);
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();

        for (var round = 0; round < 2; round++)
        {
            var target = await WatchedMemberAsync(cluster, provider);
            await using var writer = new PrefixWriter(Others(cluster, target), Prefix);
            await Eventually.TrueAsync(() => writer.Writes >= 20 && provider.Revision >= writer.LastRevision, "the app follows the writer");

            var role = target == await cluster.GetLeaderAsync() ? "the leader" : "a follower";
            await target.KillAsync();
            var (etcd, app) = await TimeUntilChangesFlowAsync(provider, writer);
            output.WriteLine($"Round {round}: killed {target.Name} ({role}); etcd took a change again after {etcd.TotalSeconds:0.00} s, the app had it after {app.TotalSeconds:0.00} s (aim 5 s).");

            await AssertSameAsEtcdAsync(cluster, root, provider, writer);
            await target.RestartAsync();
            await cluster.WaitHealthyAsync();
        }
    }

    [Fact]
    public async Task Freezing_the_member_the_watch_is_on_loses_no_update()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 3 });
        using var root = await StartAppAsync(cluster);
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        var target = await WatchedMemberAsync(cluster, provider);
        await using var writer = new PrefixWriter(Others(cluster, target), Prefix);
        await Eventually.TrueAsync(() => writer.Writes >= 20 && provider.Revision >= writer.LastRevision, "the app follows the writer");

        var role = target == await cluster.GetLeaderAsync() ? "the leader" : "a follower";

        // SIGSTOP: the connection stays open and silent, so only the HTTP/2 keep-alive ping can tell.
        target.Pause();
        try
        {
            var (etcd, app) = await TimeUntilChangesFlowAsync(provider, writer);
            output.WriteLine($"Froze {target.Name} ({role}); etcd took a change again after {etcd.TotalSeconds:0.00} s, the app had it after {app.TotalSeconds:0.00} s (aim 15 s).");
            Assert.NotEqual(target.ClientUrl, provider.Status.WatchEndpoint);
            await AssertSameAsEtcdAsync(cluster, root, provider, writer);
        }
        finally
        {
            target.Resume();
        }
    }

    /// <summary>
    /// The soak: for <c>ETCD_SOAK_MINUTES</c> (default 10), random members are killed or frozen for random spans
    /// while the writer goes on; at the end the app must hold exactly etcd's keys. Opt-in through its category
    /// (<c>eng/soak.sh</c>); the suite filters it out.
    /// </summary>
    [Fact]
    [Trait("Category", "Soak")]
    public async Task Soak_random_kills_and_freezes_lose_no_update()
    {
        var minutes = double.Parse(Environment.GetEnvironmentVariable("ETCD_SOAK_MINUTES") ?? "10", CultureInfo.InvariantCulture);
        var seed = int.TryParse(Environment.GetEnvironmentVariable("ETCD_SOAK_SEED"), out var given) ? given : Random.Shared.Next();
        var random = new Random(seed);
        output.WriteLine($"Soak for {minutes} min, seed {seed} (ETCD_SOAK_SEED repeats it).");
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 3 });
        using var root = await StartAppAsync(cluster);
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        await using var writer = new PrefixWriter(cluster.ClientUrls, Prefix);
        var slowest = TimeSpan.Zero;
        var deadline = DateTime.UtcNow.AddMinutes(minutes);
        for (var round = 0; DateTime.UtcNow < deadline; round++)
        {
            var watched = await WatchedMemberAsync(cluster, provider);
            var target = random.Next(2) == 0 ? watched : cluster.Members[random.Next(cluster.Members.Count)];
            var freeze = random.Next(2) == 0;
            var span = TimeSpan.FromMilliseconds(random.Next(500, 8000));
            if (freeze)
            {
                target.Pause();
            }
            else
            {
                await target.KillAsync();
            }

            // The fault lasts a random span: this delay is the fault being injected, not a wait for a result.
            await Task.Delay(span);
            if (freeze)
            {
                target.Resume();
            }
            else
            {
                await target.RestartAsync();
            }

            await cluster.WaitHealthyAsync();
            var (_, app) = await TimeUntilChangesFlowAsync(provider, writer);
            slowest = app > slowest ? app : slowest;
            output.WriteLine($"Round {round}: {(freeze ? "froze" : "killed")} {target.Name}{(target == watched ? " (watched)" : string.Empty)} for {span.TotalSeconds:0.0} s; changes reached the app again {app.TotalSeconds:0.00} s after it was back.");
        }

        output.WriteLine($"Slowest return: {slowest.TotalSeconds:0.00} s.");
        await AssertSameAsEtcdAsync(cluster, root, provider, writer);
    }

    private static async Task<ConfigurationRoot> StartAppAsync(EtcdCluster cluster)
    {
        for (var i = 0; i < 10; i++)
        {
            await cluster.PutAsync($"{Prefix}k/seed-{i}", $"seed-{i}");
        }

        // Default settings: only where etcd is and what to read.
        return (ConfigurationRoot)new ConfigurationBuilder()
            .AddEtcd(source =>
            {
                source.Endpoints = [.. cluster.ClientUrls];
                source.Prefix = Prefix;
            })
            .Build();
    }

    private static async Task<EtcdMember> WatchedMemberAsync(EtcdCluster cluster, EtcdConfigurationProvider provider)
    {
        await Eventually.TrueAsync(() => provider.Status.WatchEndpoint is not null, "the app's watch is open", Bound);
        return cluster.Members.Single(m => m.ClientUrl == provider.Status.WatchEndpoint);
    }

    private static IEnumerable<string> Others(EtcdCluster cluster, EtcdMember target) =>
        cluster.Members.Where(m => m != target).Select(m => m.ClientUrl);

    /// <summary>
    /// From now until etcd has confirmed a change written after now, and until the app has applied it: the first
    /// is the cluster's own recovery (an election when the leader died), the second is what the app adds.
    /// </summary>
    private static async Task<(TimeSpan Etcd, TimeSpan App)> TimeUntilChangesFlowAsync(EtcdConfigurationProvider provider, PrefixWriter writer)
    {
        var clock = Stopwatch.StartNew();
        var writesBefore = writer.Writes;
        long after = 0;
        var etcd = TimeSpan.Zero;
        await Eventually.TrueAsync(
            () =>
            {
                if (after == 0 && writer.Writes > writesBefore + 1)
                {
                    after = writer.LastRevision;
                    etcd = clock.Elapsed;
                }

                return after != 0 && provider.Revision >= after;
            },
            "a change written after the fault reaches the app",
            Bound);
        return (etcd, clock.Elapsed);
    }

    /// <summary>Stops the writer, waits for the app to reach etcd's revision and compares every key.</summary>
    private async Task AssertSameAsEtcdAsync(EtcdCluster cluster, IConfiguration root, EtcdConfigurationProvider provider, PrefixWriter writer)
    {
        await writer.StopAsync();
        await using var reader = new EtcdClient(new EtcdClientOptions { Endpoints = [.. cluster.Members.Where(m => m.IsRunning && !m.IsPaused).Select(m => m.ClientUrl)] });
        var revision = (await reader.KV.GetAsync(Prefix, new GetOptions { CountOnly = true })).Header.Revision;
        await Eventually.TrueAsync(() => provider.Revision == revision, $"the app reaches etcd's revision {revision} (it is at {provider.Revision})", Bound);

        var etcd = await PrefixState.InEtcdAsync(reader, Prefix);
        var app = PrefixState.InConfiguration(root);
        var lost = PrefixState.Differences(etcd, app);
        output.WriteLine($"{writer.Writes} changes written; etcd holds {etcd.Count} keys, the app {app.Count}; lost updates: {lost}.");
        Assert.Equal(0, lost);
        Assert.Equal(etcd, app);
    }
}
