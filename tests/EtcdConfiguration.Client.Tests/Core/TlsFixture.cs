using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Client.Tests.Core;

/// <summary>The three https etcds of <see cref="EtcdTlsClusters"/>, shared by the tests of a class.</summary>
public sealed class TlsFixture : IAsyncLifetime
{
    public EtcdTlsClusters Clusters { get; private set; } = null!;

    public async Task InitializeAsync() => Clusters = await EtcdTlsClusters.StartAsync();

    public async Task DisposeAsync()
    {
        if (Clusters is not null)
        {
            await Clusters.DisposeAsync();
        }
    }
}
