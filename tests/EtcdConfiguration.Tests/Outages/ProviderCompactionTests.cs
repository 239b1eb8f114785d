using EtcdConfiguration.Client;
using EtcdConfiguration.Testing;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tests.Outages;

/// <summary>
/// The app is cut off while configuration changes and etcd compacts that history away: when it is back, it
/// re-reads the prefix and applies the net change, deletes included, as one reload.
/// </summary>
[Collection(FaultTestGroup.Name)]
public sealed class ProviderCompactionTests
{
    private const string Prefix = "/app/";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Changes_compacted_while_the_app_was_away_arrive_as_one_reload_with_the_net_change()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 3 });
        // A follower: killing the leader would add an election (and etcd's 7 s timeout for a put forwarded to it),
        // which is not what this test is about.
        var leader = await cluster.GetLeaderAsync();
        var away = cluster.Members.First(m => m != leader);

        // The test's own writes go to the two members that stay. An election can still happen on a loaded machine
        // (and the follower may have become the leader by the time it is killed): a write refused meanwhile is
        // repeated. Each sets a key to a fixed value or deletes it, so a repeat leaves the same keys and values.
        await using var others = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [.. cluster.Members.Where(m => m != away).Select(m => m.ClientUrl)],
            DialTimeout = TestTimeouts.EtcdAnswers,
        });
        for (var i = 0; i < 10; i++)
        {
            await TransientRetry.RunAsync(() => others.KV.PutAsync($"{Prefix}k/{i}", $"v{i}"));
        }

        var logs = new FakeLogCollector();
        using var loggerFactory = logs.CreateFactory();
        // The app knows only the member that will go away, so it cannot follow the changes elsewhere.
        using var root = (ConfigurationRoot)new ConfigurationBuilder()
            .AddEtcd(source =>
            {
                source.Endpoints = [away.ClientUrl];
                source.Prefix = Prefix;
                source.StartupTimeout = TestTimeouts.EtcdAnswers;
                source.LoggerFactory = loggerFactory;
            })
            .Build();
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        await Eventually.TrueAsync(() => provider.Status.WatchEndpoint is not null, "the app's watch is open", Bound);
        using var reloads = new ReloadRecorder(root, "k:1");

        await away.KillAsync();
        for (var n = 0; n < 20; n++)
        {
            await TransientRetry.RunAsync(() => others.KV.PutAsync(Prefix + "k/1", $"changed-{n}"));
        }

        await TransientRetry.RunAsync(() => others.KV.DeleteAsync(Prefix + "k/2"));
        await TransientRetry.RunAsync(() => others.KV.DeleteAsync(Prefix + "k/3"));
        await TransientRetry.RunAsync(() => others.KV.PutAsync(Prefix + "k/new", "added"));
        await TransientRetry.RunAsync(() => others.KV.PutAsync(Prefix + "k/gone", "put and deleted while away"));
        await TransientRetry.RunAsync(() => others.KV.DeleteAsync(Prefix + "k/gone"));

        // etcd's revision after the last write (read, not taken from a write's answer: a repeated delete answers
        // with whatever revision etcd is at); the history up to it is compacted away.
        var last = (await TransientRetry.RunAsync(() => others.KV.GetAsync(Prefix, new GetOptions { CountOnly = true }))).Header.Revision;
        await TransientRetry.RunAsync(async repeat =>
        {
            try
            {
                await others.KV.CompactAsync(last);
            }
            catch (EtcdCompactedException) when (repeat)
            {
                // The attempt that failed compacted after all.
            }

            return true;
        });
        Assert.Equal(0, reloads.Count);

        // etcd serves clients only once it has applied the log it missed, compaction included, so the app's
        // watch from its last revision + 1 is refused as compacted.
        await away.RestartAsync();
        await Eventually.TrueAsync(() => provider.Revision == last, $"the app reaches revision {last} (it is at {provider.Revision})", Bound);

        var (etcd, _) = await TransientRetry.RunAsync(() => PrefixState.InEtcdAsync(others, Prefix));
        Assert.Equal(etcd, PrefixState.InConfiguration(root));
        Assert.Equal("changed-19", root["k:1"]);
        Assert.Null(root["k:2"]);
        Assert.Null(root["k:gone"]);
        Assert.Equal(["changed-19"], reloads.Probes);
        Assert.Contains(logs.Lines, line => line.Contains("compacted", StringComparison.Ordinal) && line.Contains(Prefix, StringComparison.Ordinal));
    }
}
