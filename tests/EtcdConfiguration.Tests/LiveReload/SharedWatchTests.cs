using System.Globalization;
using EtcdConfiguration.Mapping;
using EtcdConfiguration.Sync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace EtcdConfiguration.Tests.LiveReload;

/// <summary>
/// Providers of one prefix on one client share one etcd watch: each still applies every change once, in order, to
/// its own data, whatever revision it loaded at, and leaving does not disturb the others.
/// </summary>
public sealed class SharedWatchTests(ProviderClusterFixture fixture) : IClassFixture<ProviderClusterFixture>
{
    private const int Writes = 40;

    [Fact]
    public async Task Providers_joining_while_changes_flow_each_see_every_change_once_and_in_order()
    {
        var p = ProviderClusterFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "k/counter", Counter(0));
        var apps = new List<(ConfigurationRoot Root, EtcdConfigurationProvider Provider, long Loaded, ChangedRecorder Changes)>();
        try
        {
            long last = 0;
            for (var i = 1; i <= Writes; i++)
            {
                // A new provider every few writes, so some load while the shared watch is behind etcd or ahead of them.
                if (i % 5 == 1)
                {
                    var root = fixture.Build(p);
                    var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
                    apps.Add((root, provider, provider.Revision, new ChangedRecorder(root)));
                }

                await fixture.Client.KV.PutAsync(p + "k/counter", Counter(i));
                last = (await fixture.Client.KV.PutAsync(p + $"k/n{i}", $"v{i}")).Header.Revision;
            }

            var (etcd, _) = await PrefixState.InEtcdAsync(fixture.Client, p);
            Assert.Equal(Writes + 1, etcd.Count);
            foreach (var (root, provider, loaded, changes) in apps)
            {
                await Eventually.TrueAsync(() => provider.Revision == last, $"the provider that loaded at revision {loaded} reaches revision {last} (it is at {provider.Revision})");
                Assert.True(provider.SharesWatch, $"the provider that loaded at revision {loaded} shares the watch");
                Assert.Equal(etcd, PrefixState.InConfiguration(root));

                // An event applied twice, or out of order, would take the counter back; one missed would leave a key out.
                var counters = changes.Events
                    .SelectMany(e => e.Changes.Where(c => c.Key == "k:counter").Select(c => (e.Revision, Value: c.NewValue!)))
                    .ToList();
                Assert.All(changes.Events, e => Assert.True(e.Revision > loaded, $"a change at revision {e.Revision} reached a provider loaded at {loaded}"));
                Assert.Equal(counters.OrderBy(c => c.Value, StringComparer.Ordinal).ToList(), counters);
                Assert.Equal(counters.Count, counters.Select(c => c.Value).Distinct().Count());
                Assert.Equal(Counter(Writes), root["k:counter"]);
            }

            var client = apps[0].Provider.Client;
            Assert.All(apps, app => Assert.Same(client, app.Provider.Client));
            Assert.Equal(apps.Count, SharedPrefixWatch.SubscribersOf(client, p, EtcdValueFormat.Auto));
        }
        finally
        {
            foreach (var app in apps)
            {
                app.Changes.Dispose();
                ((IDisposable)app.Root).Dispose();
            }
        }
    }

    [Fact]
    public async Task A_provider_whose_data_is_older_than_the_shared_watch_does_not_join_it_and_a_newer_one_does()
    {
        var p = ProviderClusterFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "k/a", "1");
        using var watching = fixture.Build(p);
        using var older = fixture.Build(p, s => s.ReloadOnChange = false);
        var olderProvider = older.Providers.OfType<EtcdConfigurationProvider>().Single();

        // The shared watch hands out a change the older provider never loaded.
        await fixture.Client.KV.PutAsync(p + "k/a", "2");
        await Eventually.ValueAsync(watching, "k:a", "2");
        Assert.Null(SharedPrefixWatch.Join(olderProvider.Client, new KeyMapper(p), EtcdValueFormat.Auto, olderProvider.Applier, _ => { }, NullLogger.Instance));
        Assert.Equal("1", older["k:a"]);

        // A provider loaded after it joins, and gets the next change once.
        using var newer = fixture.Build(p, s => s.ReloadOnChange = false);
        var newerProvider = newer.Providers.OfType<EtcdConfigurationProvider>().Single();
        using var reloads = new ReloadRecorder(newer, "k:a");
        using (var joined = SharedPrefixWatch.Join(newerProvider.Client, new KeyMapper(p), EtcdValueFormat.Auto, newerProvider.Applier, _ => { }, NullLogger.Instance))
        {
            Assert.NotNull(joined);
            await fixture.Client.KV.PutAsync(p + "k/a", "3");
            await Eventually.ValueAsync(newer, "k:a", "3");
            Assert.Equal(["3"], reloads.Probes);
        }
    }

    [Fact]
    public async Task A_provider_that_leaves_stops_following_while_the_others_go_on_and_the_last_one_ends_the_watch()
    {
        var p = ProviderClusterFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "k/a", "1");
        var roots = Enumerable.Range(0, 3).Select(_ => fixture.Build(p)).ToList();
        var client = roots[0].Providers.OfType<EtcdConfigurationProvider>().Single().Client;
        Assert.Equal(3, SharedPrefixWatch.SubscribersOf(client, p, EtcdValueFormat.Auto));

        ((IDisposable)roots[0]).Dispose();
        Assert.Equal(2, SharedPrefixWatch.SubscribersOf(client, p, EtcdValueFormat.Auto));
        await fixture.Client.KV.PutAsync(p + "k/a", "2");
        await Eventually.ValueAsync(roots[1], "k:a", "2");
        await Eventually.ValueAsync(roots[2], "k:a", "2");
        Assert.Equal("1", roots[0]["k:a"]);

        ((IDisposable)roots[1]).Dispose();
        ((IDisposable)roots[2]).Dispose();
        Assert.Equal(0, SharedPrefixWatch.SubscribersOf(client, p, EtcdValueFormat.Auto));

        // A provider built afterwards starts a shared watch of its own.
        using var later = fixture.Build(p);
        var laterProvider = later.Providers.OfType<EtcdConfigurationProvider>().Single();
        Assert.True(laterProvider.SharesWatch);
        await fixture.Client.KV.PutAsync(p + "k/a", "3");
        await Eventually.ValueAsync(later, "k:a", "3");
    }

    [Fact]
    public async Task Providers_with_another_value_format_watch_apart_and_decode_their_own_way()
    {
        var p = ProviderClusterFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "k/a", "{\"b\":1}");
        using var auto = fixture.Build(p);
        using var raw = fixture.Build(p, s => s.ValueFormat = EtcdValueFormat.Raw);
        var client = auto.Providers.OfType<EtcdConfigurationProvider>().Single().Client;
        Assert.Equal(1, SharedPrefixWatch.SubscribersOf(client, p, EtcdValueFormat.Auto));
        Assert.Equal(1, SharedPrefixWatch.SubscribersOf(client, p, EtcdValueFormat.Raw));

        await fixture.Client.KV.PutAsync(p + "k/a", "{\"b\":2}");
        await Eventually.ValueAsync(auto, "k:a:b", "2");
        await Eventually.ValueAsync(raw, "k:a", "{\"b\":2}");
    }

    private static string Counter(int i) => i.ToString("D4", CultureInfo.InvariantCulture);
}
