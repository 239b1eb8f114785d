using EtcdConfiguration.Client;
using EtcdConfiguration.Testing;
using EtcdConfiguration.Tests.LiveReload;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tests.Outages;

/// <summary>
/// A temporary override whose lease runs out while the app cannot hear etcd: the expiry reaches the app with the
/// watch, once it is back, and the ordinary value shows again with a Changed event.
/// </summary>
[Collection(FaultTestGroup.Name)]
public sealed class OverrideExpiryTests
{
    private const string Prefix = "/app/";

    [Fact]
    public async Task AnOverrideThatExpiresWhileTheWatchIsReconnectingIsGoneAfterTheReconnect()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 3 });
        var watched = cluster.Members[0];

        // Our writer talks to the two other members only, so it works on while the app's one member is down.
        await using var client = await EtcdClient.ConnectAsync(new EtcdClientOptions
        {
            Endpoints = cluster.Members.Skip(1).Select(m => m.ClientUrl).ToArray(),
            DialTimeout = TestTimeouts.EtcdAnswers,
        });
        await client.KV.PutAsync(Prefix + "Beta/Enabled", "false");
        using var root = (ConfigurationRoot)new ConfigurationBuilder()
            .AddEtcd(source =>
            {
                source.Endpoints = [watched.ClientUrl];
                source.Prefix = Prefix;
                source.StartupTimeout = TestTimeouts.EtcdAnswers;
            })
            .Build();
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        using var events = new ChangedRecorder(root);

        // A 3 s override, kept alive only until the app has lost its member, so it cannot run out any earlier.
        var lease = await client.Lease.GrantAsync(3);
        using var keepAlive = new CancellationTokenSource();
        var renewals = KeepAliveAsync(client, lease.Id, keepAlive.Token);
        var overrideKey = Prefix + ".overrides/Beta/Enabled";
        await client.KV.PutAsync(overrideKey, "true", new PutOptions { Lease = lease.Id });
        await Eventually.ValueAsync(root, "Beta:Enabled", "true");

        await watched.KillAsync();
        await Eventually.TrueAsync(() => provider.Status.State == EtcdConfigurationState.Reconnecting, "the app knows its member is gone");
        await keepAlive.CancelAsync();
        await renewals;
        await Eventually.TrueAsync(async () => (await client.KV.GetAsync(overrideKey)).Kvs.Count == 0, "the override's lease runs out in etcd");

        // The app heard nothing yet: it still serves the override, and says it is reconnecting.
        Assert.Equal("true", root["Beta:Enabled"]);
        Assert.Equal(EtcdConfigurationState.Reconnecting, provider.Status.State);

        await watched.RestartAsync();
        await Eventually.ValueAsync(root, "Beta:Enabled", "false");
        Assert.Equal(
            ["Beta:Enabled: false -> true", "Beta:Enabled: true -> false"],
            events.Shown.SelectMany(e => e.Split("; ")));
    }

    private static async Task KeepAliveAsync(EtcdClient client, long lease, CancellationToken stop)
    {
        try
        {
            await foreach (var renewal in client.Lease.KeepAliveAsync(lease, stop))
            {
                Assert.True(renewal.Ttl > 0, "the lease is renewed");
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Renewals end here on purpose: from now on the lease runs out after its TTL.
        }
    }
}
