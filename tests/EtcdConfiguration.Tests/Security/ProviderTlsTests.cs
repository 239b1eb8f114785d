using System.Collections.Concurrent;
using EtcdConfiguration.Client;
using EtcdConfiguration.Testing;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tests.Security;

/// <summary>
/// The provider over TLS against real etcd: a custom CA, a client certificate, and failing closed when the
/// server cannot be trusted or wants a certificate the source does not have.
/// </summary>
public sealed class ProviderTlsTests(ProviderTlsFixture fixture) : IClassFixture<ProviderTlsFixture>
{
    // Room for a first TLS connection on a busy machine; a refused handshake ends the load at once anyway.
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_https_endpoint_with_the_CA_as_a_file_loads_and_follows_a_change()
    {
        var cluster = fixture.Clusters.Https;
        Assert.StartsWith("https://", cluster.ClientUrls[0], StringComparison.Ordinal);

        await LoadsAndFollowsAsync(cluster, source => source.CaCertificateFile = cluster.Certificates!.CaCertificateFile);
    }

    [Fact]
    public async Task A_server_requiring_client_certificates_is_loaded_and_followed_with_certificate_and_key_files()
    {
        var cluster = fixture.Clusters.ClientCertAuth;
        var certificates = cluster.Certificates!;

        await LoadsAndFollowsAsync(cluster, source =>
        {
            source.CaCertificateFile = certificates.CaCertificateFile;
            source.ClientCertificateFile = certificates.ClientCertificateFile;
            source.ClientKeyFile = certificates.ClientKeyFile;
        });
    }

    [Fact]
    public async Task Without_a_client_certificate_an_optional_source_loads_nothing_and_says_which_endpoint_refused()
    {
        var cluster = fixture.Clusters.ClientCertAuth;
        var prefix = ProviderTlsFixture.NewPrefix();
        await cluster.PutAsync(prefix + "Never/Seen", "v");
        var reported = new ConcurrentQueue<EtcdLoadExceptionContext>();

        using var root = Build(cluster, prefix, source =>
        {
            source.Optional = true;
            source.CaCertificateFile = cluster.Certificates!.CaCertificateFile;
            source.OnLoadException = reported.Enqueue;
        });
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();

        await Eventually.TrueAsync(() => reported.Count >= 2, $"two failed loads were reported (there were {reported.Count})");
        Assert.Empty(ConfigurationView.Values(root));
        Assert.Equal(0, provider.Revision);
        // With TLS 1.3 the server's refusal comes after the handshake, so .NET only sees the connection fail; the
        // error says which endpoint and which prefix, and that a client certificate may be what is missing.
        Assert.Contains(cluster.ClientUrls[0], provider.Status.LastError, StringComparison.Ordinal);
        Assert.Contains(prefix, provider.Status.LastError, StringComparison.Ordinal);
        Assert.True(provider.Status.LastError!.Contains("client certificate", StringComparison.Ordinal), provider.Status.LastError);
    }

    [Fact]
    public async Task A_required_source_refuses_a_server_certificate_for_another_host_name_saying_why()
    {
        var cluster = fixture.Clusters.WrongServerName;
        var prefix = ProviderTlsFixture.NewPrefix();
        await cluster.EtcdctlAsync("--insecure-skip-tls-verify", "put", "--", prefix + "Never/Seen", "v");
        var reported = new ConcurrentQueue<EtcdLoadExceptionContext>();

        var build = Task.Run(() => Build(cluster, prefix, source =>
        {
            source.CaCertificateFile = cluster.Certificates!.CaCertificateFile;
            source.OnLoadException = reported.Enqueue;
        }));
        var failure = await Assert.ThrowsAsync<EtcdException>(() => Eventually.WithinAsync(build, "Build() ended"));

        Assert.Contains(cluster.ClientUrls[0], failure.Message, StringComparison.Ordinal);
        Assert.Contains(prefix, failure.Message, StringComparison.Ordinal);
        Assert.True(failure.Message.Contains("RemoteCertificateNameMismatch", StringComparison.Ordinal), $"The failure does not say the certificate is for another host name: {failure.Message}");
        Assert.Same(failure, Assert.Single(reported).Exception);
    }

    [Fact]
    public async Task An_optional_source_facing_a_server_certificate_for_another_host_name_never_has_data()
    {
        var cluster = fixture.Clusters.WrongServerName;
        var prefix = ProviderTlsFixture.NewPrefix();
        await cluster.EtcdctlAsync("--insecure-skip-tls-verify", "put", "--", prefix + "Never/Seen", "v");
        var reported = new ConcurrentQueue<EtcdLoadExceptionContext>();

        using var root = Build(cluster, prefix, source =>
        {
            source.Optional = true;
            source.CaCertificateFile = cluster.Certificates!.CaCertificateFile;
            source.OnLoadException = reported.Enqueue;
        });
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();

        // Data written while the provider keeps retrying must not reach it either.
        await cluster.EtcdctlAsync("--insecure-skip-tls-verify", "put", "--", prefix + "Never/Later", "v");
        await Eventually.TrueAsync(() => reported.Count >= 3, $"three failed loads were reported (there were {reported.Count})");
        Assert.Empty(ConfigurationView.Values(root));
        Assert.Equal(0, provider.Revision);
        var lastError = provider.Status.LastError;
        Assert.Contains(cluster.ClientUrls[0], lastError, StringComparison.Ordinal);
        Assert.Contains("RemoteCertificateNameMismatch", lastError, StringComparison.Ordinal);
        Assert.All(reported, context => Assert.Contains(cluster.ClientUrls[0], context.Exception.Message, StringComparison.Ordinal));
    }

    private static async Task LoadsAndFollowsAsync(EtcdCluster cluster, Action<EtcdConfigurationSource> configure)
    {
        var prefix = ProviderTlsFixture.NewPrefix();
        await cluster.PutAsync(prefix + "Db/Host", "db-1");
        await cluster.PutAsync(prefix + "Db/Port", "5432");

        using var root = Build(cluster, prefix, configure);
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        (await SecuredEtcdContents.ReadAsync(cluster, prefix)).AssertEqual(root);

        await cluster.PutAsync(prefix + "Db/Host", "db-2");
        var expected = await SecuredEtcdContents.ReadAsync(cluster, prefix);
        await Eventually.TrueAsync(() => provider.Revision >= expected.LastModRevision, $"the provider reached revision {expected.LastModRevision} (it is at {provider.Revision})");
        expected.AssertEqual(root);
        Assert.Equal("db-2", root["Db:Host"]);
        Assert.Equal(expected.LastModRevision, provider.Revision);
        Assert.Null(provider.Status.LastError);
    }

    private static ConfigurationRoot Build(EtcdCluster cluster, string prefix, Action<EtcdConfigurationSource> configure) =>
        (ConfigurationRoot)new ConfigurationBuilder()
            .AddEtcd(source =>
            {
                source.Endpoints = [.. cluster.ClientUrls];
                source.Prefix = prefix;
                source.StartupTimeout = Startup;
                configure(source);
            })
            .Build();
}
