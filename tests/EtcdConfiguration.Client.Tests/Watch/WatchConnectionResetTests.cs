using EtcdConfiguration.Client.Tests.Harness;
using EtcdConfiguration.Testing;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Client.Tests.Watch;

public sealed class WatchConnectionResetTests
{
    [Fact]
    public async Task A_watch_goes_on_after_etcd_closes_its_connection_for_too_many_pings()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var etcd = await EtcdCluster.StartAsync(cancellationToken: bound.Token);
        var logs = new FakeLogCollector();
        // A ping every second on a quiet stream, where etcd allows one per 5 s: after three such strikes it sends
        // GOAWAY ENHANCE_YOUR_CALM, which grpc-dotnet reports as ResourceExhausted.
        await using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [.. etcd.ClientUrls],
            DialTimeout = TimeSpan.FromSeconds(30),
            KeepAliveInterval = TimeSpan.FromSeconds(1),
            // Long, so that late ping answers from a busy etcd do not break the connection first for another reason.
            KeepAliveTimeout = TimeSpan.FromSeconds(10),
            LoggerFactory = logs.CreateFactory(),
        });
        var start = await etcd.GetRevisionAsync() + 1;
        var keys = new List<string>();
        var consumer = Task.Run(async () =>
        {
            await foreach (var response in client.Watch.WatchAsync("calm/", new WatchOptions { Prefix = true, StartRevision = start }, bound.Token))
            {
                lock (keys)
                {
                    keys.AddRange(response.Events.Select(e => e.Kv.Key));
                    if (keys.Count == 5)
                    {
                        return;
                    }
                }
            }
        }, bound.Token);

        await Eventually.TrueAsync(
            () => logs.Lines.Any(line => line.StartsWith(nameof(LogLevel.Warning), StringComparison.Ordinal) && line.Contains("ENHANCE_YOUR_CALM", StringComparison.Ordinal)),
            "etcd has closed the connection for its pings",
            timeout: TimeSpan.FromSeconds(60));
        for (var i = 0; i < 5; i++)
        {
            await etcd.PutAsync($"calm/{i}", "v");
        }

        await consumer.WaitAsync(bound.Token);
        Assert.Equal(["calm/0", "calm/1", "calm/2", "calm/3", "calm/4"], keys);
    }
}
