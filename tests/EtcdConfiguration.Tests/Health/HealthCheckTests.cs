using EtcdConfiguration.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EtcdConfiguration.Tests.Health;

/// <summary>The health check as an app runs it: healthy when live, degraded when behind or skipping, unhealthy without data.</summary>
public class HealthCheckTests
{
    [Fact]
    public async Task IsHealthyWhenLiveAndDegradedWhileAKeyIsSkippedNamingItButNeverItsValue()
    {
        const string badValue = "{\"not json: health-secret-81d0";
        await using var cluster = await EtcdCluster.StartAsync();
        var prefix = TestConfiguration.NewPrefix();
        await cluster.PutAsync(prefix + "Good", "{\"A\":1}");
        using var configuration = TestConfiguration.Build(cluster.Endpoints, prefix, s => s.ValueFormat = EtcdValueFormat.Json);

        var live = await configuration.CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, live.Status);
        var data = TestConfiguration.ProviderData(live, prefix);
        Assert.Equal(prefix, data["prefix"]);
        Assert.Equal("Live", data["state"]);
        Assert.Equal(configuration.Provider.Revision, data["revision"]);
        Assert.Equal(0, data["skippedKeyCount"]);
        Assert.Equal(1, data["configurationKeys"]);
        Assert.True(data.ContainsKey("lastChange"));
        // The watch stream opens after the load; the check names its endpoint from then on (none while it reconnects).
        await Eventually.TrueAsync(
            async () => TestConfiguration.ProviderData(await configuration.CheckHealthAsync(), prefix).GetValueOrDefault("watchEndpoint") is string endpoint
                && endpoint == cluster.ClientUrls[0],
            "the health check names the endpoint the watch stream is on");

        await cluster.PutAsync(prefix + "Bad", badValue);
        await Eventually.TrueAsync(() => configuration.Provider.Status.SkippedKeys.Count == 1, "the bad key to be skipped");
        var degraded = await configuration.CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains(prefix + "Bad", degraded.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("health-secret", degraded.Description, StringComparison.Ordinal);
        data = TestConfiguration.ProviderData(degraded, prefix);
        Assert.Equal(1, data["skippedKeyCount"]);
        Assert.Equal(prefix + "Bad", data["skippedKeys"]);
        Assert.DoesNotContain(data.Values, v => v.ToString()!.Contains("health-secret", StringComparison.Ordinal));
        Assert.Equal("1", configuration["Good:A"]);

        // Fixed, the key is no longer reported.
        await cluster.PutAsync(prefix + "Bad", "{\"B\":2}");
        await Eventually.TrueAsync(() => configuration["Bad:B"] == "2", "the fixed key to be applied");
        await ProviderWaits.StatusCaughtUpAsync(configuration.Provider);
        Assert.Empty(configuration.Provider.Status.SkippedKeys);
        Assert.Equal(HealthStatus.Healthy, (await configuration.CheckHealthAsync()).Status);

        // A skipped key found again by a full load is reported from that load.
        await cluster.PutAsync(prefix + "Bad", badValue);
        await Eventually.TrueAsync(() => configuration.Provider.Status.SkippedKeys.Count == 1, "the bad key to be skipped again");
        await cluster.PutAsync("/unrelated-" + Guid.NewGuid().ToString("N"), "moves the revision on");
        configuration.Root.Reload();
        Assert.Equal([prefix + "Bad"], configuration.Provider.Status.SkippedKeys);
        Assert.Equal("2", configuration["Bad:B"]);
        Assert.Equal(HealthStatus.Degraded, (await configuration.CheckHealthAsync()).Status);
    }

    [Fact]
    public async Task IsDegradedWhileReconnectingAfterAKillAndHealthyOnceEtcdIsBack()
    {
        await using var cluster = await EtcdCluster.StartAsync();
        var prefix = TestConfiguration.NewPrefix();
        await cluster.PutAsync(prefix + "A", "1");
        using var configuration = TestConfiguration.Build(cluster.Endpoints, prefix);
        Assert.Equal(HealthStatus.Healthy, (await configuration.CheckHealthAsync()).Status);

        await cluster.Members[0].KillAsync();
        await Eventually.TrueAsync(() => configuration.Provider.Status.State == EtcdConfigurationState.Reconnecting, "the provider to notice the lost connection");
        var reconnecting = await configuration.CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, reconnecting.Status);
        Assert.Contains("reconnecting", reconnecting.Description, StringComparison.Ordinal);
        var data = TestConfiguration.ProviderData(reconnecting, prefix);
        Assert.Equal("Reconnecting", data["state"]);
        Assert.Contains(cluster.Members[0].ClientUrl, (string)data["lastError"], StringComparison.Ordinal);
        Assert.Equal("1", configuration["A"]);

        await cluster.Members[0].RestartAsync();
        await Eventually.TrueAsync(() => configuration.Provider.Status.State == EtcdConfigurationState.Live, "the provider to be live again");
        Assert.Equal(HealthStatus.Healthy, (await configuration.CheckHealthAsync()).Status);
        await cluster.PutAsync(prefix + "A", "2");
        await Eventually.TrueAsync(() => configuration["A"] == "2", "a change after the restart");
    }

    [Fact]
    public async Task IsUnhealthyWhenAnOptionalSourceNeverLoaded()
    {
        var prefix = TestConfiguration.NewPrefix();
        using var refused = new RefusedEndpoint();
        var endpoint = refused.Url;
        using var configuration = TestConfiguration.Build(endpoint, prefix, s =>
        {
            s.Optional = true;
            s.StartupTimeout = TimeSpan.FromSeconds(1);
        });

        var health = await configuration.CheckHealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        var data = TestConfiguration.ProviderData(health, prefix);
        Assert.Equal("Failed", data["state"]);
        Assert.Equal(0L, data["revision"]);
        Assert.Contains(endpoint, (string)data["lastError"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportsTheWorstOfSeveralSourcesAndEachUnderItsPrefix()
    {
        await using var cluster = await EtcdCluster.StartAsync();
        var live = TestConfiguration.NewPrefix();
        var missing = TestConfiguration.NewPrefix();
        await cluster.PutAsync(live + "A", "1");
        using var refused = new RefusedEndpoint();
        var root = new ConfigurationBuilder()
            .AddEtcd(s =>
            {
                s.Endpoints = cluster.ClientUrls.ToList();
                s.Prefix = live;
                s.StartupTimeout = TestTimeouts.EtcdAnswers;
            })
            .AddEtcd(s =>
            {
                s.Endpoints = [refused.Url];
                s.Prefix = missing;
                s.Optional = true;
                s.StartupTimeout = TimeSpan.FromSeconds(1);
            })
            .Build();
        using var disposeRoot = (IDisposable)root;
        var check = new EtcdConfigurationHealthCheck(root);

        var result = await check.CheckHealthAsync(new HealthCheckContext
        {
            Registration = new HealthCheckRegistration("etcd", check, HealthStatus.Degraded, null),
        });

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Equal(["Live", "Failed"], new[] { live, missing }.Select(p => TestConfiguration.ProviderData(result.Data, p)["state"]));
        Assert.Equal("Live", result.Data[live + ":state"]);
        Assert.Contains(live, result.Description, StringComparison.Ordinal);
        Assert.Contains(missing, result.Description, StringComparison.Ordinal);
    }
}
