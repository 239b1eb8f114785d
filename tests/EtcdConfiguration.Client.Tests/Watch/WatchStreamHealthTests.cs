using System.Collections.Concurrent;
using EtcdConfiguration.Client.Tests.Harness;
using EtcdConfiguration.Testing;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Client.Tests.Watch;

public sealed class WatchStreamHealthTests
{
    [Fact]
    public async Task The_watch_stream_reports_its_break_and_its_recovery_with_the_endpoint()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var etcd = await EtcdCluster.StartAsync(cancellationToken: bound.Token);
        var member = etcd.Members[0];
        var logs = new FakeLogCollector();
        await using var client = new EtcdClient(new EtcdClientOptions { Endpoints = [member.ClientUrl], DialTimeout = TimeSpan.FromSeconds(30), LoggerFactory = logs.CreateFactory() });
        var broken = new ConcurrentQueue<(object? Sender, WatchStreamBrokenEventArgs Args)>();
        var restored = new ConcurrentQueue<(object? Sender, WatchStreamRestoredEventArgs Args)>();
        client.Watch.StreamBroken += (sender, e) => broken.Enqueue((sender, e));
        client.Watch.StreamRestored += (sender, e) => restored.Enqueue((sender, e));
        var keys = new ConcurrentQueue<string>();
        var start = await etcd.GetRevisionAsync() + 1;
        var consumer = Task.Run(async () =>
        {
            await foreach (var response in client.Watch.WatchAsync("health/", new WatchOptions { Prefix = true, StartRevision = start }, bound.Token))
            {
                foreach (var e in response.Events)
                {
                    keys.Enqueue(e.Kv.Key);
                }

                if (keys.Count == 2)
                {
                    return;
                }
            }
        }, bound.Token);
        Assert.Equal(member.ClientUrl, await Eventually.SomeAsync(() => client.Watch.StreamEndpoint, "the watch stream is open"));
        Assert.False(client.Watch.IsStreamBroken);
        await etcd.PutAsync("health/before", "v");

        await member.KillAsync();

        await Eventually.TrueAsync(() => !broken.IsEmpty, "the break is reported", timeout: TimeSpan.FromSeconds(30));
        var (brokenSender, brokenArgs) = broken.First();
        Assert.Same(client.Watch, brokenSender);
        Assert.Equal(member.ClientUrl, brokenArgs.Endpoint);
        Assert.Equal(member.ClientUrl, brokenArgs.NextEndpoint);
        Assert.NotNull(brokenArgs.Cause);
        Assert.Equal(1, brokenArgs.Attempt);
        Assert.InRange(brokenArgs.RetryDelay, TimeSpan.Zero, client.RetryPolicy.MaxDelay);
        Assert.True(client.Watch.IsStreamBroken);
        Assert.Empty(restored);
        Assert.DoesNotContain("Status(", brokenArgs.Reason, StringComparison.Ordinal);
        Assert.EndsWith(".", brokenArgs.Reason, StringComparison.Ordinal);

        // Every reconnect attempt is refused and reported; only the first is a Warning in the log.
        await Eventually.TrueAsync(() => broken.Count >= 3, "three reconnect attempts are reported", timeout: TimeSpan.FromSeconds(30));
        Assert.Single(logs.GetSnapshot(), e => e.Level == LogLevel.Warning);
        Assert.True(logs.GetSnapshot().Count(e => e.Level == LogLevel.Debug && e.Message.Contains(" broke (", StringComparison.Ordinal)) >= 2, "later attempts are Debug lines");

        await member.RestartAsync(bound.Token);

        await Eventually.TrueAsync(() => !restored.IsEmpty, "the recovery is reported", timeout: TimeSpan.FromSeconds(30));
        var (restoredSender, restoredArgs) = restored.Single();
        Assert.Same(client.Watch, restoredSender);
        Assert.Equal(member.ClientUrl, restoredArgs.Endpoint);
        Assert.False(client.Watch.IsStreamBroken);
        Assert.Equal(member.ClientUrl, client.Watch.StreamEndpoint);
        Assert.Single(logs.GetSnapshot(), e => e.Level == LogLevel.Information && e.Message.Contains("is back on", StringComparison.Ordinal));
        await etcd.PutAsync("health/after", "v");
        await consumer.WaitAsync(bound.Token);
        Assert.Equal(["health/before", "health/after"], keys);
    }
}
