using EtcdConfiguration.Client;
using EtcdConfiguration.Sync;
using EtcdConfiguration.Testing;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tests.Outages;

/// <summary>
/// Providers sharing one watch through outages: a broken stream resumes for all of them with nothing lost, and a
/// history compacted while they were away makes every one of them re-read the prefix, once.
/// </summary>
[Collection(FaultTestGroup.Name)]
public sealed class SharedWatchFaultTests
{
    private const string Prefix = "/shared/";
    private const int Providers = 4;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Providers_sharing_a_watch_resume_after_a_break_and_re_read_after_a_compaction_each_ending_at_etcds_state()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 3 });
        var leader = await cluster.GetLeaderAsync();
        var away = cluster.Members.First(m => m != leader);
        await using var others = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [.. cluster.Members.Where(m => m != away).Select(m => m.ClientUrl)],
            DialTimeout = TestTimeouts.EtcdAnswers,
        });
        for (var i = 0; i < 5; i++)
        {
            await TransientRetry.RunAsync(() => others.KV.PutAsync($"{Prefix}k/{i}", $"v{i}"));
        }

        // The apps know only the member that goes away: they cannot follow the changes elsewhere.
        var roots = Enumerable.Range(0, Providers)
            .Select(_ => (ConfigurationRoot)new ConfigurationBuilder()
                .AddEtcd(source =>
                {
                    source.Endpoints = [away.ClientUrl];
                    source.Prefix = Prefix;
                    source.StartupTimeout = TestTimeouts.EtcdAnswers;
                })
                .Build())
            .ToList();
        try
        {
            var providers = roots.Select(r => r.Providers.OfType<EtcdConfigurationProvider>().Single()).ToList();
            Assert.All(providers, p => Assert.True(p.SharesWatch));
            Assert.Equal(Providers, SharedPrefixWatch.SubscribersOf(providers[0].Client, Prefix, EtcdValueFormat.Auto));
            await Eventually.TrueAsync(() => providers.All(p => p.Status.WatchEndpoint is not null), "the shared watch is open", Bound);

            // A break: changes made meanwhile arrive when the stream resumes from where it was.
            await away.KillAsync();
            await TransientRetry.RunAsync(() => others.KV.PutAsync(Prefix + "k/1", "while-away"));
            await TransientRetry.RunAsync(() => others.KV.DeleteAsync(Prefix + "k/2"));
            await away.RestartAsync();
            await AllEqualEtcdAsync(others, roots, providers);

            // A compaction of the history the watch needs: every provider re-reads the prefix.
            await away.KillAsync();
            for (var n = 0; n < 10; n++)
            {
                await TransientRetry.RunAsync(() => others.KV.PutAsync(Prefix + "k/1", $"changed-{n}"));
            }

            await TransientRetry.RunAsync(() => others.KV.DeleteAsync(Prefix + "k/3"));
            await TransientRetry.RunAsync(() => others.KV.PutAsync(Prefix + "k/new", "added"));
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
            var reloads = roots.Select(r => new ReloadRecorder(r, "k:1")).ToList();
            await away.RestartAsync();
            await AllEqualEtcdAsync(others, roots, providers);
            Assert.All(reloads, r => Assert.Equal(["changed-9"], r.Probes));
            reloads.ForEach(r => r.Dispose());
        }
        finally
        {
            roots.ForEach(r => r.Dispose());
        }
    }

    private static async Task AllEqualEtcdAsync(EtcdClient others, List<ConfigurationRoot> roots, List<EtcdConfigurationProvider> providers)
    {
        var (etcd, revision) = await TransientRetry.RunAsync(() => PrefixState.InEtcdAsync(others, Prefix));
        for (var i = 0; i < roots.Count; i++)
        {
            var provider = providers[i];
            await Eventually.TrueAsync(() => provider.Revision >= revision, $"provider {i} reaches revision {revision} (it is at {provider.Revision})", Bound);
            Assert.Equal(etcd, PrefixState.InConfiguration(roots[i]));
        }
    }
}
