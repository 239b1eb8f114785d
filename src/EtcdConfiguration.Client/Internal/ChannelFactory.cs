using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace EtcdConfiguration.Client.Internal;

/// <summary>
/// Builds one gRPC channel per endpoint with the transport settings in one place: HTTP/2 keep-alive pings so a
/// stalled connection is noticed, the dial timeout, message sizes and TLS (custom CA, client certificate).
/// </summary>
internal static class ChannelFactory
{
    public static IReadOnlyList<EndpointChannel> Create(EtcdClientOptions options)
    {
        var trust = LoadCaCertificate(options);
        var clientCertificate = LoadClientCertificate(options);
        var channels = new List<EndpointChannel>(options.Endpoints.Count);
        foreach (var endpoint in options.Endpoints)
        {
            if (!EndpointAddress.TryParse(endpoint, options.HasTlsSettings, out var address))
            {
                throw new ArgumentException($"Endpoint '{endpoint}' is not an http:// or https:// URL with a host and port.", nameof(options));
            }

            if (channels.Any(c => c.Address == address.ToString().TrimEnd('/')))
            {
                continue;
            }

            var handler = new SocketsHttpHandler
            {
                ConnectTimeout = options.DialTimeout,
                KeepAlivePingDelay = options.KeepAliveInterval,
                KeepAlivePingTimeout = options.KeepAliveTimeout,
                // Like Go's clientv3 (PermitWithoutStream false): etcd's server allows pings on a connection with
                // no call only every 2 hours and answers more with GOAWAY ENHANCE_YOUR_CALM, which would also
                // break a watch that had just started on that connection.
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            };
            if (address.Scheme == Uri.UriSchemeHttps)
            {
                handler.SslOptions = CreateSslOptions(address.Host, trust, clientCertificate);
            }

            var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
            {
                HttpHandler = handler,
                DisposeHttpClient = true,
                MaxReceiveMessageSize = options.MaxReceiveMessageSize,
                MaxSendMessageSize = null,
            });
            channels.Add(new EndpointChannel(address, channel));
        }

        return channels;
    }

    private static SslClientAuthenticationOptions CreateSslOptions(string host, X509Certificate2? trust, X509Certificate2? clientCertificate)
    {
        var ssl = new SslClientAuthenticationOptions { TargetHost = host };
        if (clientCertificate is not null)
        {
            ssl.ClientCertificates = new X509CertificateCollection { clientCertificate };
        }

        if (trust is not null)
        {
            ssl.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            ssl.CertificateChainPolicy.CustomTrustStore.Add(trust);
        }

        return ssl;
    }

    private static X509Certificate2? LoadCaCertificate(EtcdClientOptions options)
    {
        if (options.CaCertificate is not null)
        {
            return options.CaCertificate;
        }

        if (options.CaCertificateFile is null)
        {
            return null;
        }

        try
        {
            return X509CertificateLoader.LoadCertificate(File.ReadAllBytes(options.CaCertificateFile));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new ArgumentException($"The CA certificate file '{options.CaCertificateFile}' could not be read: {ex.Message}", nameof(options), ex);
        }
    }

    private static X509Certificate2? LoadClientCertificate(EtcdClientOptions options)
    {
        if (options.ClientCertificate is not null)
        {
            return options.ClientCertificate;
        }

        if (options.ClientCertificateFile is null || options.ClientKeyFile is null)
        {
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(options.ClientCertificateFile, options.ClientKeyFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new ArgumentException($"The client certificate '{options.ClientCertificateFile}' or its key file could not be read: {ex.Message}", nameof(options), ex);
        }
    }
}
