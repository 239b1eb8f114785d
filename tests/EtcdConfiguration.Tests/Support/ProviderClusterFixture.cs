using EtcdConfiguration.Client;
using EtcdConfiguration.Testing;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tests.Support;

/// <summary>
/// One single-member etcd and one client of ours shared by the tests of a class. Each test works under its own
/// prefix from <see cref="NewPrefix"/>, so tests never see each other's keys.
/// </summary>
public sealed class ProviderClusterFixture : IAsyncLifetime
{
    public EtcdCluster Cluster { get; private set; } = null!;

    /// <summary>A writer of our own, separate from the providers' pooled clients.</summary>
    public EtcdClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 1 });
        Client = await EtcdClient.ConnectAsync(new EtcdClientOptions
        {
            Endpoints = EtcdClient.SplitEndpoints(Cluster.Endpoints),
            DialTimeout = TestTimeouts.EtcdAnswers,
        });
    }

    public async Task DisposeAsync()
    {
        if (Client is not null)
        {
            await Client.DisposeAsync();
        }

        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }

    /// <summary>A key prefix no other test uses, such as <c>/t/3f2a.../</c>.</summary>
    public static string NewPrefix() => $"/t/{Guid.NewGuid():N}/";

    /// <summary>
    /// Builds a configuration with one etcd source on this cluster for <paramref name="prefix"/>; dispose it to
    /// stop its watch.
    /// </summary>
    public ConfigurationRoot Build(string prefix, Action<EtcdConfigurationSource>? configure = null) =>
        (ConfigurationRoot)new ConfigurationBuilder().AddEtcd(source => Configure(source, prefix, configure)).Build();

    /// <summary>
    /// Points <paramref name="source"/> at this cluster and <paramref name="prefix"/> with a startup timeout for an
    /// etcd that answers, then applies <paramref name="configure"/>.
    /// </summary>
    public void Configure(EtcdConfigurationSource source, string prefix, Action<EtcdConfigurationSource>? configure = null)
    {
        source.Endpoints = EtcdClient.SplitEndpoints(Cluster.Endpoints);
        source.Prefix = prefix;
        source.StartupTimeout = TestTimeouts.EtcdAnswers;
        configure?.Invoke(source);
    }
}
