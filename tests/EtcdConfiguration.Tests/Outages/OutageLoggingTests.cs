using EtcdConfiguration.Client;
using EtcdConfiguration.Testing;
using EtcdConfiguration.Tests.Health;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tests.Outages;

/// <summary>
/// An outage against real etcd is quiet in the log: one Warning from the provider (and one from the client's
/// watch stream) however many retries, Debug lines for the retries, one Information line when etcd is back, and
/// nothing worse afterwards; the metrics still count every retry.
/// </summary>
public sealed class OutageLoggingTests
{
    private const string ProviderCategory = "EtcdConfiguration.EtcdConfigurationProvider";

    [Fact]
    public async Task An_outage_logs_one_warning_debug_per_retry_and_one_recovery_and_no_stale_error_after_it()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 1 });
        await cluster.PutAsync("/quiet/Key", "1");
        var logs = new FakeLogCollector();
        using var loggerFactory = logs.CreateFactory();
        using var metrics = new MetricsRecorder("/quiet/");
        using var root = (ConfigurationRoot)new ConfigurationBuilder()
            .AddEtcd(source =>
            {
                source.Endpoints = EtcdClient.SplitEndpoints(cluster.Endpoints);
                source.Prefix = "/quiet";
                source.StartupTimeout = TestTimeouts.EtcdAnswers;
                source.LoggerFactory = loggerFactory;
            })
            .Build();
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        await Eventually.TrueAsync(() => provider.Status.WatchEndpoint is not null, "the watch stream is open");

        await cluster.Members[0].KillAsync();

        // Several reconnect attempts, each refused; only the first may warn.
        await Eventually.TrueAsync(() => metrics.Sum("etcd_configuration.watch_reconnects") >= 4, "four reconnect attempts are counted");
        Assert.Equal(EtcdConfigurationState.Reconnecting, provider.Status.State);
        Assert.Single(Lines("Warning", ProviderCategory));
        Assert.True(Lines("Warning", "EtcdConfiguration.Client").Count <= 1, "the client warns at most once per break:\n" + string.Join("\n", logs.Lines));
        Assert.True(Lines("Debug", ProviderCategory).Count >= 3, "every later attempt is a Debug line");
        Assert.DoesNotContain(logs.Lines, l => l.Contains("Status(", StringComparison.Ordinal) || l.Contains("DebugException", StringComparison.Ordinal));
        Assert.DoesNotContain("Status(", provider.Status.LastError, StringComparison.Ordinal);

        await cluster.Members[0].RestartAsync();
        await Eventually.TrueAsync(() => provider.Status.State == EtcdConfigurationState.Live, "the provider is live again");
        await cluster.PutAsync("/quiet/Key", "2");
        await Eventually.ValueAsync(root, "Key", "2");
        await cluster.PutAsync("/quiet/Key", "3");
        await Eventually.ValueAsync(root, "Key", "3");

        var lines = logs.Lines;
        var recovery = Assert.Single(
            lines.Select((line, index) => (line, index)),
            l => l.line.StartsWith("Information " + ProviderCategory, StringComparison.Ordinal) && l.line.Contains("live again", StringComparison.Ordinal));
        Assert.Contains("failed attempt(s) over", recovery.line, StringComparison.Ordinal);
        Assert.DoesNotContain(
            lines.Skip(recovery.index + 1),
            l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal));
        Assert.Single(Lines("Warning", ProviderCategory));

        List<string> Lines(string level, string category) =>
            logs.Lines.Where(l => l.StartsWith($"{level} {category}", StringComparison.Ordinal)).ToList();
    }
}
