using EtcdConfiguration.Testing;
using EtcdConfiguration.Tests.Cache;

namespace EtcdConfiguration.Tests.Health;

/// <summary>The "EtcdConfiguration" meter counts loads, reloads, skipped keys and reconnects, and gauges the keys held.</summary>
public class MetricsTests
{
    [Fact]
    public async Task CountLoadsReloadsKeysAndSkippedKeys()
    {
        await using var cluster = await EtcdCluster.StartAsync();
        var prefix = TestConfiguration.NewPrefix();
        using var metrics = new MetricsRecorder(prefix);
        await cluster.PutAsync(prefix + "A", "1");
        await cluster.PutAsync(prefix + "Blob", "{\"X\":1,\"Y\":[true,false]}");

        using var configuration = TestConfiguration.Build(cluster.Endpoints, prefix);

        Assert.Equal(1, metrics.Sum("etcd_configuration.loads/success"));
        Assert.Equal(0, metrics.Sum("etcd_configuration.loads/failure"));
        Assert.Equal(1, metrics.Count("etcd_configuration.load.duration"));
        Assert.Equal(4, metrics.Observe("etcd_configuration.keys"));
        Assert.Equal(0, metrics.Sum("etcd_configuration.reloads"));

        await cluster.PutAsync(prefix + "A", "2");
        await Eventually.TrueAsync(() => metrics.Sum("etcd_configuration.reloads") == 1, "one reload for one change");
        Assert.Equal("2", configuration["A"]);

        await cluster.PutAsync(prefix + "A", "2");
        await cluster.PutAsync(prefix + "Blob", "{\"X\":1");
        await cluster.PutAsync(prefix + "C", "3");
        await Eventually.TrueAsync(() => configuration["C"] == "3", "the last change");

        // The data changes first; the metrics of its batch follow. The unchanged put and the skipped blob change
        // nothing, so only C's batch reloads, whichever batches the watch delivered the three writes in.
        await Eventually.TrueAsync(
            () => metrics.Sum("etcd_configuration.reloads") >= 2 && metrics.Sum("etcd_configuration.skipped_keys") >= 1
                && metrics.Observe("etcd_configuration.keys") == 5 && metrics.Count("etcd_configuration.apply.duration") >= 2,
            "the metrics count the last change");
        Assert.Equal(1, metrics.Sum("etcd_configuration.skipped_keys"));
        Assert.Equal(2, metrics.Sum("etcd_configuration.reloads"));
        Assert.Equal(5, metrics.Observe("etcd_configuration.keys"));
        Assert.True(metrics.Count("etcd_configuration.apply.duration") >= 2);
        Assert.Equal(0, metrics.Sum("etcd_configuration.watch_reconnects"));

        configuration.Dispose();
        Assert.Null(metrics.Observe("etcd_configuration.keys"));
    }

    [Fact]
    public async Task CountReconnectsAfterAKillAndTheLoadsFromACacheAndFailures()
    {
        await using var cluster = await EtcdCluster.StartAsync();
        var prefix = TestConfiguration.NewPrefix();
        using var metrics = new MetricsRecorder(prefix);
        using var directory = new TempDirectory();
        var cacheFile = directory.File("config.json");
        await cluster.PutAsync(prefix + "A", "1");
        using (var first = TestConfiguration.Build(cluster.Endpoints, prefix, s => s.CacheFile = cacheFile))
        {
            // The second configuration starts from this cache file, written in the background after the load.
            await Eventually.TrueAsync(() => CacheFileTests.TryRead(cacheFile)?.Revision == first.Provider.Revision, "the cache file to be written");
            await cluster.Members[0].KillAsync();
            await Eventually.TrueAsync(() => metrics.Sum("etcd_configuration.watch_reconnects") >= 1, "a reconnect to be counted");
            Assert.Equal(0, metrics.Sum("etcd_configuration.reloads"));
        }

        // The first load fails after a short startup timeout; the background retries must connect once etcd is
        // back, whatever the load on the machine, so the client's dial timeout is generous.
        using var second = TestConfiguration.Build(cluster.Endpoints, prefix, s =>
        {
            s.CacheFile = cacheFile;
            s.StartupTimeout = TimeSpan.FromSeconds(1);
            s.ConfigureClient = options => options.DialTimeout = TestTimeouts.EtcdAnswers;
        });
        Assert.Equal(1, metrics.Sum("etcd_configuration.loads/cache"));
        Assert.True(metrics.Sum("etcd_configuration.loads/failure") >= 1);
        Assert.Equal(1, metrics.Observe("etcd_configuration.keys"));
        var appliedBefore = metrics.Count("etcd_configuration.apply.duration");

        await cluster.Members[0].RestartAsync();

        // The late load is counted with the status it makes live; the watch it then starts applies its first
        // response (the watch's creation) only after the load's metrics are all recorded, so from then on a
        // reload the load wrongly counted would show.
        await Eventually.TrueAsync(
            () => second.Provider.Status.State == EtcdConfigurationState.Live && metrics.Sum("etcd_configuration.loads/success") >= 2
                && metrics.Count("etcd_configuration.apply.duration") > appliedBefore,
            "the provider to reach etcd and watch it");
        Assert.Equal(2, metrics.Sum("etcd_configuration.loads/success"));

        // Nothing changed while etcd was away: converging from the cache changes no value, so no reload.
        Assert.Equal(0, metrics.Sum("etcd_configuration.reloads"));
    }
}
