using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Tests.Security;

/// <summary>The three https etcds of <see cref="EtcdTlsClusters"/>, shared by the tests of a class.</summary>
public sealed class ProviderTlsFixture : IAsyncLifetime
{
    public EtcdTlsClusters Clusters { get; private set; } = null!;

    /// <summary>A prefix no other test uses.</summary>
    public static string NewPrefix() => $"/tls/{Guid.NewGuid():N}/";

    public async Task InitializeAsync() => Clusters = await EtcdTlsClusters.StartAsync();

    public async Task DisposeAsync()
    {
        if (Clusters is not null)
        {
            await Clusters.DisposeAsync();
        }
    }
}
