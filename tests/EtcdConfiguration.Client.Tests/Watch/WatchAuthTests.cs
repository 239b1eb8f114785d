using EtcdConfiguration.Client.Tests.Harness;
using EtcdConfiguration.Testing;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Client.Tests.Watch;

public sealed class WatchAuthTests
{
    private const string Password = "reader-secret-pw";

    [Fact]
    public async Task A_watch_outside_the_users_permissions_throws_EtcdPermissionDeniedException_naming_key_and_user_while_others_go_on()
    {
        await using var cluster = await StartWithReaderAsync(tokenTtlSeconds: null);
        var logs = new FakeLogCollector();
        await using var client = CreateReaderClient(cluster, logs);
        await using var allowed = await client.Watch.StartWatchAsync("allowed/", new WatchOptions { Prefix = true });

        var denied = new StreamProbe<WatchResponse>(ct => client.Watch.WatchAsync("denied/key", cancellationToken: ct));
        await using (denied)
        {
            var failure = Assert.IsType<EtcdPermissionDeniedException>(await denied.EndAsync());
            Assert.Contains("'denied/key'", failure.Message, StringComparison.Ordinal);
            Assert.Contains("reader", failure.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, failure.Message, StringComparison.Ordinal);
        }

        await cluster.PutAsync("allowed/x", "seen");
        Assert.Equal("allowed/x", (await allowed.EventsAsync(1))[0].Kv.Key);
        Assert.DoesNotContain(logs.Lines, line => line.Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_expired_token_is_replaced_transparently_and_running_watches_lose_nothing()
    {
        await using var cluster = await StartWithReaderAsync(tokenTtlSeconds: 2);
        var logs = new FakeLogCollector();
        await using var client = CreateReaderClient(cluster, logs);
        await using var running = await client.Watch.StartWatchAsync("allowed/", new WatchOptions { Prefix = true });
        await cluster.PutAsync("allowed/before", "1");
        Assert.Equal("allowed/before", (await running.EventsAsync(1))[0].Kv.Key);

        // A token issued after the client last used its own expires after it: wait until that one is refused.
        await TokenExpiry.WaitUntilTokensIssuedNowExpireAsync(cluster, "reader", Password, "allowed/probe");
        await cluster.PutAsync("allowed/while-expired", "2");
        await using var added = await client.Watch.StartWatchAsync("allowed/after");
        await cluster.PutAsync("allowed/after", "3");

        var events = await running.EventsAsync(2);
        Assert.Equal(["allowed/while-expired", "allowed/after"], events.Select(e => e.Kv.Key));
        Assert.Equal("allowed/after", (await added.EventsAsync(1))[0].Kv.Key);
        Assert.Contains(logs.GetSnapshot(), e => e.Level == LogLevel.Information && e.Message.Contains("authentication token of user 'reader'", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains(Password, StringComparison.Ordinal));
    }

    private static async Task<EtcdCluster> StartWithReaderAsync(int? tokenTtlSeconds)
    {
        var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { AuthTokenTtlSeconds = tokenTtlSeconds });
        try
        {
            await cluster.EnableAuthAsync("root-pw");
            await cluster.AddUserAsync("reader", Password, "allowed-reader", "allowed/", readOnly: true);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private static EtcdClient CreateReaderClient(EtcdCluster cluster, FakeLogCollector logs) => new(new EtcdClientOptions
    {
        Endpoints = [.. cluster.ClientUrls],
        Username = "reader",
        Password = Password,
        DialTimeout = TimeSpan.FromSeconds(30),
        LoggerFactory = logs.CreateFactory(),
    });
}
