namespace EtcdConfiguration.Testing;

/// <summary>
/// Three single-member etcds serving https, started together: one with a server certificate from the test CA,
/// one that also requires client certificates, and one whose server certificate names another host.
/// </summary>
public sealed class EtcdTlsClusters : IAsyncDisposable
{
    private EtcdTlsClusters(EtcdCluster? https, EtcdCluster? clientCertAuth, EtcdCluster? wrongServerName)
    {
        Https = https!;
        ClientCertAuth = clientCertAuth!;
        WrongServerName = wrongServerName!;
    }

    /// <summary>https with a server certificate from the test CA.</summary>
    public EtcdCluster Https { get; }

    /// <summary>https that requires a client certificate signed by the test CA (<c>--client-cert-auth</c>).</summary>
    public EtcdCluster ClientCertAuth { get; }

    /// <summary>https with a server certificate for another host name than the one clients dial.</summary>
    public EtcdCluster WrongServerName { get; }

    /// <summary>Starts the three in parallel; if one fails to start, the others are stopped before the failure is thrown.</summary>
    public static async Task<EtcdTlsClusters> StartAsync(CancellationToken cancellationToken = default)
    {
        var https = EtcdCluster.StartAsync(new EtcdClusterOptions { Tls = true }, cancellationToken);
        var clientCertAuth = EtcdCluster.StartAsync(new EtcdClusterOptions { ClientCertAuth = true }, cancellationToken);
        var wrongServerName = EtcdCluster.StartAsync(new EtcdClusterOptions { TlsWithWrongServerName = true }, cancellationToken);
        try
        {
            await Task.WhenAll(https, clientCertAuth, wrongServerName);
            return new EtcdTlsClusters(https.Result, clientCertAuth.Result, wrongServerName.Result);
        }
        catch
        {
            await new EtcdTlsClusters(Started(https), Started(clientCertAuth), Started(wrongServerName)).DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the three members and deletes their data.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var cluster in new[] { Https, ClientCertAuth, WrongServerName })
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
        }
    }

    private static EtcdCluster? Started(Task<EtcdCluster> start) => start.IsCompletedSuccessfully ? start.Result : null;
}
