using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using EtcdConfiguration.Testing.Internal;

namespace EtcdConfiguration.Testing.Tests;

public sealed class TlsTests
{
    [Fact]
    public async Task With_tls_etcdctl_talks_https_trusting_the_generated_ca()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Tls = true });

        Assert.StartsWith("https://127.0.0.1:", cluster.ClientUrls[0], StringComparison.Ordinal);
        var certificates = Assert.IsType<EtcdCertificates>(cluster.Certificates);
        Assert.All(
            [certificates.CaCertificateFile, certificates.ServerCertificateFile, certificates.ServerKeyFile, certificates.ClientCertificateFile, certificates.ClientKeyFile],
            file => Assert.True(File.Exists(file), file));

        await cluster.PutAsync("tls/key", "over https");
        Assert.Equal("over https", await cluster.GetAsync("tls/key"));

        // The server certificate validates for 127.0.0.1 against the generated CA, with nothing else wrong.
        var (errors, chainStatus) = await HandshakeAsync(cluster, certificates, clientCertificate: null);
        Assert.Equal(SslPolicyErrors.None, errors);
        Assert.Empty(chainStatus);

        // Without the CA etcdctl must refuse the server.
        var untrusted = await Assert.ThrowsAsync<EtcdctlException>(() => EtcdctlRunner.RunAsync(null, ["--endpoints=" + cluster.Endpoints, "--dial-timeout=2s", "--command-timeout=2s", "get", "tls/key"]));
        Assert.NotEqual(0, untrusted.ExitCode);
    }

    [Fact]
    public async Task With_client_cert_auth_the_client_certificate_is_required_and_its_common_name_is_the_user()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { ClientCertAuth = true });
        var certificates = cluster.Certificates!;
        Assert.True(certificates.ClientCertificate.HasPrivateKey);
        Assert.Equal("CN=root", certificates.ClientCertificate.Subject);

        await cluster.PutAsync("mtls/key", "with a client certificate");
        Assert.Equal("with a client certificate", await cluster.GetAsync("mtls/key"));

        var withoutCertificate = await Assert.ThrowsAsync<EtcdctlException>(() => EtcdctlRunner.RunAsync(
            null, ["--endpoints=" + cluster.Endpoints, "--dial-timeout=2s", "--command-timeout=2s", "--cacert=" + certificates.CaCertificateFile, "get", "mtls/key"]));
        Assert.NotEqual(0, withoutCertificate.ExitCode);

        // The .NET client certificate (in memory, with its key) is accepted too.
        var (errors, _) = await HandshakeAsync(cluster, certificates, certificates.ClientCertificate);
        Assert.Equal(SslPolicyErrors.None, errors);

        // Under auth, etcd takes the user from the certificate's CN: "root" may list users without a password.
        await cluster.EnableAuthAsync("root-pw");
        var users = await EtcdctlRunner.RunAsync(null,
        [
            "--endpoints=" + cluster.Endpoints, "--cacert=" + certificates.CaCertificateFile,
            "--cert=" + certificates.ClientCertificateFile, "--key=" + certificates.ClientKeyFile, "user", "list",
        ]);
        Assert.Contains("root", users, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_certificate_for_the_wrong_name_fails_host_name_validation_only()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { TlsWithWrongServerName = true });
        var certificates = cluster.Certificates!;

        Assert.StartsWith("https://", cluster.ClientUrls[0], StringComparison.Ordinal);
        var (errors, chainStatus) = await HandshakeAsync(cluster, certificates, clientCertificate: null);

        Assert.Equal(SslPolicyErrors.RemoteCertificateNameMismatch, errors);
        Assert.Empty(chainStatus);
        await Assert.ThrowsAsync<EtcdctlException>(() => cluster.EtcdctlAsync("--dial-timeout=2s", "--command-timeout=2s", "get", "any"));
    }

    [Fact]
    public void Certificates_can_be_created_for_another_client_name()
    {
        var directory = Directory.CreateTempSubdirectory("etcd-testing-certs-").FullName;
        try
        {
            using var certificates = EtcdCertificates.Create(directory, "alice");

            Assert.Equal("CN=alice", certificates.ClientCertificate.Subject);
            Assert.Contains("BEGIN CERTIFICATE", File.ReadAllText(certificates.ClientCertificateFile), StringComparison.Ordinal);
            Assert.Contains("BEGIN PRIVATE KEY", File.ReadAllText(certificates.ClientKeyFile), StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(certificates.ServerKeyFile));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // A TLS handshake with the first member as host "127.0.0.1"; the chain is built against the generated CA only.
    private static async Task<(SslPolicyErrors Errors, X509ChainStatusFlags[] ChainStatus)> HandshakeAsync(
        EtcdCluster cluster, EtcdCertificates certificates, X509Certificate2? clientCertificate)
    {
        var uri = new Uri(cluster.ClientUrls[0]);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port);
        var errors = SslPolicyErrors.None;
        X509ChainStatusFlags[] chainStatus = [];
        await using var ssl = new SslStream(tcp.GetStream());
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = uri.Host,
            ApplicationProtocols = [SslApplicationProtocol.Http2],
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { certificates.CaCertificate },
                RevocationMode = X509RevocationMode.NoCheck,
            },
            RemoteCertificateValidationCallback = (_, _, chain, policyErrors) =>
            {
                errors = policyErrors;
                chainStatus = chain?.ChainStatus.Select(s => s.Status).Where(s => s != X509ChainStatusFlags.NoError).ToArray() ?? [];
                return true;
            },
        };
        await ssl.AuthenticateAsClientAsync(options);
        return (errors, chainStatus);
    }
}
