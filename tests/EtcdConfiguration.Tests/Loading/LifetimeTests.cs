using EtcdConfiguration.Client;
using EtcdConfiguration.Sync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Tests.Loading;

/// <summary>Sources share clients by endpoints; disposing a configuration ends its watch and nothing else.</summary>
public sealed class LifetimeTests(ProviderClusterFixture fixture) : IClassFixture<ProviderClusterFixture>
{
    [Fact]
    public async Task DisposeStopsTheWatchAndTheBackgroundTask()
    {
        var p = ProviderClusterFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "Key", "1");
        var disposed = fixture.Build(p);
        using var alive = fixture.Build(p);
        var provider = disposed.Providers.OfType<EtcdConfigurationProvider>().Single();
        using var reloads = new ReloadRecorder(disposed, probeKey: "Key");

        await fixture.Client.KV.PutAsync(p + "Key", "2");
        await Eventually.TrueAsync(() => reloads.Probes.Contains("2"), "the first configuration reloads with the change");
        Assert.False(provider.BackgroundWork.IsCompleted);

        ((IDisposable)disposed).Dispose();
        Assert.True(provider.BackgroundWork.IsCompleted, "the background task ended when Dispose returned");
        var reloadsBefore = reloads.Count;

        // The other configuration shares the client; it sees the marker after the change, the disposed one sees neither.
        await fixture.Client.KV.PutAsync(p + "Key", "3");
        await fixture.Client.KV.PutAsync(p + "Marker", "m");
        await Eventually.ValueAsync(alive, "Marker", "m");
        Assert.Equal("3", alive["Key"]);
        Assert.Equal(reloadsBefore, reloads.Count);

        // The disposed configuration keeps serving its last values, as other providers do after Dispose.
        Assert.Equal("2", disposed["Key"]);
        Assert.Null(disposed["Marker"]);
        Assert.Equal(["Key"], disposed.GetChildren().Select(c => c.Key));

        // Disposing twice is harmless.
        ((IDisposable)disposed).Dispose();
    }

    [Fact]
    public async Task SourcesWithTheSameEndpointsShareOneClientAndBothFollowEtcd()
    {
        var p1 = ProviderClusterFixture.NewPrefix();
        var p2 = ProviderClusterFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p1 + "A", "1");
        await fixture.Client.KV.PutAsync(p2 + "B", "1");
        var endpoints = EtcdClient.SplitEndpoints(fixture.Cluster.Endpoints);
        var spelledDifferently = endpoints.Select(e => e + "/").ToList();
        var otherHost = endpoints.Select(e => e.Replace("127.0.0.1", "localhost", StringComparison.Ordinal)).ToList();

        using var root = (ConfigurationRoot)new ConfigurationBuilder()
            .AddEtcd(source => fixture.Configure(source, p1))
            .AddEtcd(source => fixture.Configure(source, p2))
            .AddEtcd(source => fixture.Configure(source, p2, s => s.Endpoints = spelledDifferently))
            .Build();
        using var separate = fixture.Build(p2, source => source.Endpoints = otherHost);
        var providers = root.Providers.Cast<EtcdConfigurationProvider>().ToList();

        Assert.Same(providers[0].Client, providers[1].Client);
        Assert.Same(providers[0].Client, providers[2].Client);
        Assert.NotSame(providers[0].Client, separate.Providers.OfType<EtcdConfigurationProvider>().Single().Client);

        await fixture.Client.KV.PutAsync(p1 + "A", "2");
        await fixture.Client.KV.PutAsync(p2 + "B", "2");
        await Eventually.TrueAsync(
            () => root["A"] == "2" && root["B"] == "2" && providers.All(p => p.TryGet(p == providers[0] ? "A" : "B", out var v) && v == "2"),
            "every source sees its prefix's change");
        await Eventually.ValueAsync(separate, "B", "2");
    }

    [Fact]
    public void Sources_share_a_client_only_when_their_client_options_come_out_the_same()
    {
        var p = ProviderClusterFixture.NewPrefix();
        using var otherLogs = LoggerFactory.Create(_ => { });

        using var root = (ConfigurationRoot)new ConfigurationBuilder()
            .AddEtcd(source => fixture.Configure(source, p))
            .AddEtcd(source => fixture.Configure(source, p, s => s.ConfigureClient = o => o.RequestTimeout = TimeSpan.FromSeconds(10)))
            .AddEtcd(source => fixture.Configure(source, p, s => s.ConfigureClient = o => o.RequestTimeout = TimeSpan.FromSeconds(3)))
            .AddEtcd(source => fixture.Configure(source, p, s => s.ConfigureClient = o => o.KeepAliveTimeout = TimeSpan.FromSeconds(2)))
            .AddEtcd(source => fixture.Configure(source, p, s => s.LoggerFactory = otherLogs))
            .Build();
        var clients = root.Providers.Cast<EtcdConfigurationProvider>().Select(provider => provider.Client).ToList();

        // The second only spells out the default request timeout; each of the others differs in one option.
        Assert.Same(clients[0], clients[1]);
        Assert.Equal(4, clients.Distinct().Count());
    }

    [Fact]
    public async Task A_source_that_does_not_share_gets_a_client_of_its_own_closed_with_it()
    {
        var p = ProviderClusterFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "Key", "1");
        using var shared = fixture.Build(p);
        var own = fixture.Build(p, source => source.ShareClient = false);
        using var alsoOwn = fixture.Build(p, source => source.ShareClient = false);
        var ownProvider = own.Providers.OfType<EtcdConfigurationProvider>().Single();
        var sharedClient = shared.Providers.OfType<EtcdConfigurationProvider>().Single().Client;

        Assert.NotSame(sharedClient, ownProvider.Client);
        Assert.NotSame(ownProvider.Client, alsoOwn.Providers.OfType<EtcdConfigurationProvider>().Single().Client);
        var probe = new EtcdConfigurationSource();
        fixture.Configure(probe, p);
        Assert.Equal(1, EtcdClientPool.ReferencesTo(probe));

        await fixture.Client.KV.PutAsync(p + "Key", "2");
        await Eventually.ValueAsync(own, "Key", "2");
        await Eventually.ValueAsync(alsoOwn, "Key", "2");

        var ownClient = ownProvider.Client;
        ((IDisposable)own).Dispose();
        Assert.True(ownProvider.BackgroundWork.IsCompleted, "the background task ended when Dispose returned");
        Assert.Throws<ObjectDisposedException>(() => ownClient.SetEndpoints(fixture.Cluster.ClientUrls[0]));
        await fixture.Client.KV.PutAsync(p + "Key", "3");
        await Eventually.ValueAsync(alsoOwn, "Key", "3");
        await Eventually.ValueAsync(shared, "Key", "3");
    }
}
