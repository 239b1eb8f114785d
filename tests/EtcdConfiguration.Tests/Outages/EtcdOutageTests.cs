using System.Collections.Concurrent;
using EtcdConfiguration.Client;
using EtcdConfiguration.Testing;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tests.Outages;

/// <summary>
/// etcd going away after startup: the app keeps its values and never sees an exception, and the provider follows
/// etcd again once it is back. Each test kills its own single-member cluster.
/// </summary>
public sealed class EtcdOutageTests
{
    /// <summary>Every load here but the one made while etcd is down must succeed; that one fails fast (connection refused).</summary>
    private static readonly TimeSpan StartupTimeout = TestTimeouts.EtcdAnswers;

    /// <summary>Bounds the wait for a restarted member to be reached again (the client backs off between attempts).</summary>
    private static readonly TimeSpan BackBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TheWatchFollowsEtcdAgainAfterTheMemberRestarts()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 1 });
        await cluster.PutAsync("/app/Key", "1");
        using var root = Build(cluster, reloadOnChange: true, failures: null);
        Assert.Equal("1", root["Key"]);
        using var reloads = new ReloadRecorder(root, "Key");

        await cluster.Members[0].KillAsync();
        Assert.Equal("1", root["Key"]);
        await cluster.Members[0].RestartAsync();
        await cluster.PutAsync("/app/Key", "2");

        await Eventually.ValueAsync(root, "Key", "2", BackBound);
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        await Eventually.TrueAsync(async () => provider.Revision == await cluster.GetRevisionAsync(), "the provider reaches etcd's revision");
        await cluster.PutAsync("/app/Key", "3");
        await Eventually.ValueAsync(root, "Key", "3");

        // The outage and the reconnect change nothing, so they reload nothing; each change reloads once.
        Assert.Equal(["2", "3"], reloads.Probes);
    }

    [Fact]
    public async Task AReloadOfARequiredSourceWhileEtcdIsDownKeepsTheValuesAndThrowsNothing()
    {
        // Without reloadOnChange there is no watch: values change only through IConfigurationRoot.Reload().
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 1 });
        await cluster.PutAsync("/app/Key", "1");
        var failures = new ConcurrentQueue<EtcdLoadExceptionContext>();
        using var root = Build(cluster, reloadOnChange: false, failures);
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        Assert.True(provider.BackgroundWork.IsCompleted, "no watch runs without reloadOnChange");
        Assert.Equal("1", root["Key"]);

        await cluster.Members[0].KillAsync();
        await Eventually.WithinAsync(Task.Run(root.Reload), "Reload() returns");

        Assert.Equal("1", root["Key"]);
        var failure = Assert.Single(failures);
        Assert.Null(failure.Key);
        Assert.Contains(cluster.Members[0].ClientUrl, failure.Exception.Message, StringComparison.Ordinal);

        await cluster.Members[0].RestartAsync();
        await cluster.PutAsync("/app/Key", "2");
        await Eventually.TrueAsync(
            async () =>
            {
                await Task.Run(root.Reload);
                return root["Key"] == "2";
            },
            "a reload brings the new value",
            BackBound);
    }

    private static ConfigurationRoot Build(EtcdCluster cluster, bool reloadOnChange, ConcurrentQueue<EtcdLoadExceptionContext>? failures) =>
        (ConfigurationRoot)new ConfigurationBuilder()
            .AddEtcd(source =>
            {
                source.Endpoints = EtcdClient.SplitEndpoints(cluster.Endpoints);
                source.Prefix = "/app/";
                source.ReloadOnChange = reloadOnChange;
                source.StartupTimeout = StartupTimeout;
                source.OnLoadException = failures is null ? null : failures.Enqueue;
            })
            .Build();
}
