using System.Collections.Concurrent;
using System.Text;
using EtcdConfiguration.Caching;
using EtcdConfiguration.Client;
using EtcdConfiguration.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Primitives;

namespace EtcdConfiguration.Tests.Cache;

/// <summary>
/// When etcd cannot be reached at startup, a provider starts from its cache file, reports itself stale, and
/// converges to etcd with one reload once etcd answers. Damaged or foreign cache files are reported and ignored.
/// </summary>
public class StartFromCacheTests
{
    private const string Secret = "start-secret-value-0c77d2";

    [Fact]
    public async Task StartsFromTheCacheWhileEtcdIsDownThenConvergesWithOneReload()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 3 });
        var member = cluster.Members[0];
        var prefix = TestConfiguration.NewPrefix();

        // Three members: an election can happen on a loaded machine at any time, and a write refused meanwhile is
        // written again (each sets or deletes a key, so a repeat leaves the same keys and values).
        await TransientRetry.RunAsync(() => cluster.PutAsync(prefix + "A", "1"));
        await TransientRetry.RunAsync(() => cluster.PutAsync(prefix + "B", Secret));
        await TransientRetry.RunAsync(() => cluster.PutAsync(prefix + "Section", "{\"C\":\"3\"}"));
        using var directory = new TempDirectory();
        var cacheFile = directory.File("config.json");
        long cachedRevision;
        using (var first = TestConfiguration.Build(member.ClientUrl, prefix, s => s.CacheFile = cacheFile))
        {
            cachedRevision = first.Provider.Revision;
            await Eventually.TrueAsync(() => CacheFileTests.TryRead(cacheFile)?.Revision == cachedRevision, "the cache file to be written");
        }

        // The only member this app knows goes down, and the configuration changes meanwhile on the others.
        await member.KillAsync();
        await cluster.WaitHealthyAsync();
        await TransientRetry.RunAsync(() => cluster.PutAsync(prefix + "A", "10"));
        await TransientRetry.RunAsync(() => cluster.EtcdctlAsync("del", "--", prefix + "B"));
        await TransientRetry.RunAsync(() => cluster.PutAsync(prefix + "D", "4"));
        var logs = new FakeLogCollector();
        using var loggerFactory = logs.CreateFactory();
        var failures = new ConcurrentQueue<Exception>();

        using var configuration = TestConfiguration.Build(member.ClientUrl, prefix, s =>
        {
            s.CacheFile = cacheFile;
            s.StartupTimeout = TimeSpan.FromSeconds(1);
            s.LoggerFactory = loggerFactory;
            s.OnLoadException = context => failures.Enqueue(context.Exception);

            // The first load fails after the short startup timeout; the background retries must connect once the
            // member is back, however loaded the machine, so the client's dial timeout is generous.
            s.ConfigureClient = options => options.DialTimeout = TestTimeouts.EtcdAnswers;
        });

        Assert.Equal(("1", Secret, "3", (string?)null), (configuration["A"], configuration["B"], configuration["Section:C"], configuration["D"]));
        var stale = configuration.Provider.Status;
        Assert.Equal(EtcdConfigurationState.Stale, stale.State);
        Assert.Equal(cachedRevision, stale.Revision);
        Assert.NotNull(stale.CacheWrittenAt);
        Assert.Equal(0, configuration.Provider.Revision);
        Assert.Contains(failures, f => f is EtcdException);
        var health = await configuration.CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains("stale", health.Description, StringComparison.Ordinal);
        Assert.Equal("Stale", TestConfiguration.ProviderData(health, prefix)["state"]);

        var reloads = 0;
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = ChangeToken.OnChange(configuration.Root.GetReloadToken, () =>
        {
            Interlocked.Increment(ref reloads);
            reloaded.TrySetResult();
        });
        await member.RestartAsync();
        await reloaded.Task.WaitAsync(Eventually.DefaultTimeout);

        Assert.Equal(("10", (string?)null, "3", "4"), (configuration["A"], configuration["B"], configuration["Section:C"], configuration["D"]));
        Assert.Equal(1, Volatile.Read(ref reloads));
        Assert.Equal(EtcdConfigurationState.Live, configuration.Provider.Status.State);
        Assert.Equal(HealthStatus.Healthy, (await configuration.CheckHealthAsync()).Status);

        // It is live: a change after the convergence arrives by the watch, and the cache follows etcd again.
        await TransientRetry.RunAsync(() => cluster.PutAsync(prefix + "A", "11"));
        await Eventually.TrueAsync(() => configuration["A"] == "11", "the watch to deliver a change after the convergence");
        await Eventually.TrueAsync(
            () => CacheFileTests.TryRead(cacheFile) is { } d && d.Pairs.Contains(new("A", "11")) && !d.Pairs.Any(p => p.Key == "B"),
            "the cache file to hold etcd's data again");
        Assert.Contains(logs.Lines, l => l.Contains("stale", StringComparison.Ordinal) && l.Contains(cacheFile, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARequiredSourceStartsFromAValidCacheWhenEtcdIsUnreachable()
    {
        var prefix = TestConfiguration.NewPrefix();
        using var directory = new TempDirectory();
        var cacheFile = directory.File("config.json");
        CacheFile.Write(cacheFile, new CacheDocument(prefix, "Auto", 17, DateTimeOffset.UtcNow, [new("Db:Host", "db.local"), new("Db:Port", "5432")]));
        using var refused = new RefusedEndpoint();

        using var configuration = TestConfiguration.Build(refused.Url, prefix, s =>
        {
            s.CacheFile = cacheFile;
            s.StartupTimeout = TimeSpan.FromSeconds(1);
        });

        Assert.Equal(("db.local", "5432"), (configuration["Db:Host"], configuration["Db:Port"]));
        Assert.Equal(["Db"], configuration.Root.GetChildren().Select(c => c.Key));
        Assert.Equal(EtcdConfigurationState.Stale, configuration.Provider.Status.State);
        Assert.Equal(17, configuration.Provider.Status.Revision);
        Assert.Equal(2, configuration.Provider.Status.KeyCount);
        Assert.Equal(HealthStatus.Degraded, (await configuration.CheckHealthAsync()).Status);
    }

    [Theory]
    [InlineData("truncated", false)]
    [InlineData("truncated", true)]
    [InlineData("corrupt", false)]
    [InlineData("corrupt", true)]
    [InlineData("wrong prefix", false)]
    [InlineData("wrong prefix", true)]
    [InlineData("wrong value format", false)]
    [InlineData("wrong value format", true)]
    public async Task AnUnusableCacheIsReportedAndIgnored(string damage, bool optional)
    {
        var prefix = TestConfiguration.NewPrefix();
        using var directory = new TempDirectory();
        var cacheFile = directory.File("config.json");
        var (documentPrefix, format) = damage switch
        {
            "wrong prefix" => (prefix.TrimEnd('/') + "-other/", "Auto"),
            "wrong value format" => (prefix, "Raw"),
            _ => (prefix, "Auto"),
        };
        CacheFile.Write(cacheFile, new CacheDocument(documentPrefix, format, 9, DateTimeOffset.UtcNow, [new("Key", Secret)]));
        if (damage == "truncated")
        {
            var bytes = File.ReadAllBytes(cacheFile);
            File.WriteAllBytes(cacheFile, bytes[..(bytes.Length / 2)]);
        }
        else if (damage == "corrupt")
        {
            File.WriteAllText(cacheFile, File.ReadAllText(cacheFile).Replace(Secret, Secret.ToUpperInvariant(), StringComparison.Ordinal), Encoding.UTF8);
        }

        var logs = new FakeLogCollector();
        using var refused = new RefusedEndpoint();
        using var loggerFactory = logs.CreateFactory();
        var failures = new ConcurrentQueue<Exception>();
        void Configure(EtcdConfigurationSource source)
        {
            source.CacheFile = cacheFile;
            source.Optional = optional;
            source.StartupTimeout = TimeSpan.FromSeconds(1);
            source.LoggerFactory = loggerFactory;
            source.OnLoadException = context => failures.Enqueue(context.Exception);
        }

        if (optional)
        {
            using var configuration = TestConfiguration.Build(refused.Url, prefix, Configure);
            Assert.Null(configuration["Key"]);
            Assert.Empty(configuration.Root.AsEnumerable());
            Assert.Equal(EtcdConfigurationState.Failed, configuration.Provider.Status.State);
            Assert.Equal(HealthStatus.Unhealthy, (await configuration.CheckHealthAsync()).Status);
        }
        else
        {
            var failure = Assert.Throws<EtcdException>(() => TestConfiguration.Build(refused.Url, prefix, Configure));
            Assert.Contains(prefix, failure.Message, StringComparison.Ordinal);
        }

        var rejection = Assert.Single(failures.OfType<InvalidDataException>());
        Assert.Contains(cacheFile, rejection.Message, StringComparison.Ordinal);
        Assert.Contains(failures, f => f is EtcdException);
        Assert.Contains(logs.Lines, l => l.Contains(rejection.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(Secret, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(Secret, rejection.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
