using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Tests.Faults;

/// <summary>
/// Three single-member etcds started together, each serving https: with a server certificate from a test CA,
/// with client-certificate auth required, and with a server certificate for another host name.
/// </summary>
public sealed class ProviderTlsFixture : IAsyncLifetime
{
    public EtcdCluster Https { get; private set; } = null!;

    public EtcdCluster ClientCertAuth { get; private set; } = null!;

    public EtcdCluster WrongServerName { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var https = EtcdCluster.StartAsync(new EtcdClusterOptions { Tls = true });
        var clientCertAuth = EtcdCluster.StartAsync(new EtcdClusterOptions { ClientCertAuth = true });
        var wrongServerName = EtcdCluster.StartAsync(new EtcdClusterOptions { TlsWithWrongServerName = true });
        try
        {
            await Task.WhenAll(https, clientCertAuth, wrongServerName);
        }
        finally
        {
            // Keep whatever started, so DisposeAsync stops it even when another one failed.
            Https = https.IsCompletedSuccessfully ? https.Result : null!;
            ClientCertAuth = clientCertAuth.IsCompletedSuccessfully ? clientCertAuth.Result : null!;
            WrongServerName = wrongServerName.IsCompletedSuccessfully ? wrongServerName.Result : null!;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var cluster in new[] { Https, ClientCertAuth, WrongServerName })
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
        }
    }

    /// <summary>A prefix no other test uses.</summary>
    public static string NewPrefix() => $"/tls/{Guid.NewGuid():N}/";
}
