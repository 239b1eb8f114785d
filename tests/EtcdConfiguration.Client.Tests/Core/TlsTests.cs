using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Client.Tests.Core;

/// <summary>TLS against real etcd: a custom CA, client certificates, and failing closed on a bad server certificate.</summary>
public sealed class TlsTests(TlsFixture fixture) : IClassFixture<TlsFixture>
{
    // Longer than any test may take: a refused handshake must end the dial at once, not when this runs out.
    private static readonly TimeSpan LongDial = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task An_https_endpoint_works_with_the_CA_given_as_a_file()
    {
        var cluster = fixture.Clusters.Https;
        Assert.StartsWith("https://", cluster.ClientUrls[0], StringComparison.Ordinal);
        await using var client = await EtcdClient.ConnectAsync(new EtcdClientOptions
        {
            Endpoints = [.. cluster.ClientUrls],
            CaCertificateFile = cluster.Certificates!.CaCertificateFile,
        });

        await RoundTripAsync(client, cluster);
    }

    [Fact]
    public async Task A_scheme_less_endpoint_uses_https_when_a_CA_is_given_as_a_certificate()
    {
        var cluster = fixture.Clusters.Https;
        await using var client = await EtcdClient.ConnectAsync(new EtcdClientOptions
        {
            Endpoints = [cluster.ClientUrls[0]["https://".Length..]],
            CaCertificate = cluster.Certificates!.CaCertificate,
        });

        Assert.Equal(cluster.ClientUrls[0], client.Endpoints[0]);
        await RoundTripAsync(client, cluster);
    }

    [Fact]
    public async Task A_server_the_system_does_not_trust_is_refused_with_EtcdUnavailableException()
    {
        var cluster = fixture.Clusters.Https;

        var ex = await Assert.ThrowsAsync<EtcdUnavailableException>(
            () => EtcdClient.ConnectAsync(new EtcdClientOptions { Endpoints = [.. cluster.ClientUrls], DialTimeout = LongDial }));

        Assert.Contains(cluster.ClientUrls[0], ex.Message, StringComparison.Ordinal);
        Assert.Contains("certificate", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("DialTimeout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_certificate_auth_works_with_the_certificate_as_files_or_as_an_object()
    {
        var cluster = fixture.Clusters.ClientCertAuth;
        var certificates = cluster.Certificates!;
        await using var fromFiles = await EtcdClient.ConnectAsync(new EtcdClientOptions
        {
            Endpoints = [.. cluster.ClientUrls],
            CaCertificateFile = certificates.CaCertificateFile,
            ClientCertificateFile = certificates.ClientCertificateFile,
            ClientKeyFile = certificates.ClientKeyFile,
        });
        await using var fromObject = await EtcdClient.ConnectAsync(new EtcdClientOptions
        {
            Endpoints = [.. cluster.ClientUrls],
            CaCertificate = certificates.CaCertificate,
            ClientCertificate = certificates.ClientCertificate,
        });

        await RoundTripAsync(fromFiles, cluster);
        await RoundTripAsync(fromObject, cluster);
    }

    [Fact]
    public async Task Without_a_client_certificate_a_server_requiring_one_is_not_usable()
    {
        var cluster = fixture.Clusters.ClientCertAuth;

        await using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [.. cluster.ClientUrls],
            CaCertificateFile = cluster.Certificates!.CaCertificateFile,
            DialTimeout = LongDial,
        });

        // The server refuses after the TLS 1.3 handshake, so .NET sees only a connection that failed; the message
        // points at the likely cause.
        var refused = await Assert.ThrowsAnyAsync<EtcdException>(() => client.KV.GetAsync("any"));
        Assert.Contains("client certificates", refused.Message, StringComparison.Ordinal);
        Assert.Contains(cluster.ClientUrls[0], refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_certificate_for_another_host_name_fails_closed_saying_why()
    {
        var cluster = fixture.Clusters.WrongServerName;
        await using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [.. cluster.ClientUrls],
            CaCertificateFile = cluster.Certificates!.CaCertificateFile,
            DialTimeout = LongDial,
        });

        var ex = await Assert.ThrowsAsync<EtcdUnavailableException>(() => client.KV.PutAsync("tls/never", "written"));

        Assert.Equal(Grpc.Core.StatusCode.Unavailable, ex.StatusCode);
        Assert.Contains(cluster.ClientUrls[0], ex.Message, StringComparison.Ordinal);
        Assert.Contains("RemoteCertificateNameMismatch", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("DialTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await cluster.EtcdctlAsync("--insecure-skip-tls-verify", "get", "--", "tls/never"));
    }

    [Fact]
    public async Task A_dial_moves_past_an_endpoint_whose_certificate_is_refused()
    {
        var good = fixture.Clusters.Https;
        await using var client = await EtcdClient.ConnectAsync(new EtcdClientOptions
        {
            Endpoints = [fixture.Clusters.WrongServerName.ClientUrls[0], good.ClientUrls[0]],
            CaCertificateFile = good.Certificates!.CaCertificateFile,
            DialTimeout = LongDial,
        });

        await RoundTripAsync(client, good);
    }

    private static async Task RoundTripAsync(EtcdClient client, EtcdCluster cluster)
    {
        var key = $"/tls/{Guid.NewGuid():N}";
        await client.KV.PutAsync(key, "over tls");
        Assert.Equal("over tls", Assert.Single((await client.KV.GetAsync(key)).Kvs).Value);
        Assert.Equal("over tls", await cluster.GetAsync(key));
    }
}
