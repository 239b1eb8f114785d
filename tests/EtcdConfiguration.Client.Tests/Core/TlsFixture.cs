using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Client.Tests.Core;

/// <summary>Three single-member etcds started together: https, https with client-certificate auth, and https with a server certificate for the wrong host name.</summary>
public sealed class TlsFixture : IAsyncLifetime
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
            // Keep whatever started, so DisposeAsync stops it even when another failed.
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
}
