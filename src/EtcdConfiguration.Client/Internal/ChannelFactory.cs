using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace EtcdConfiguration.Client.Internal;

/// <summary>
/// Builds one gRPC channel per endpoint with the transport settings in one place: HTTP/2 keep-alive pings so a
/// stalled connection is noticed, the dial timeout, message sizes and TLS (custom CA, client certificate). The
/// certificates are loaded once, so endpoints added later (<see cref="EtcdConnection.SetEndpoints"/>) get the same.
/// </summary>
internal sealed class ChannelFactory
{
    private readonly EtcdClientOptions _options;
    private readonly X509Certificate2? _trust;
    private readonly X509Certificate2? _clientCertificate;
    private readonly SendSizeLimit _sendSizeLimit;

    /// <exception cref="ArgumentException">A certificate file could not be read.</exception>
    public ChannelFactory(EtcdClientOptions options)
    {
        _options = options;
        _trust = LoadCaCertificate(options);
        _clientCertificate = LoadClientCertificate(options);
        _sendSizeLimit = new SendSizeLimit(options.MaxSendMessageSize);
    }

    /// <summary>
    /// The channels of <paramref name="endpoints"/>, in order and without repeats, taking the channel of an
    /// address that <paramref name="existing"/> already has rather than opening a second one.
    /// </summary>
    /// <exception cref="ArgumentException">An endpoint is not an http(s) URL with a host and port.</exception>
    public List<EndpointChannel> Create(IEnumerable<string> endpoints, IReadOnlyList<EndpointChannel> existing)
    {
        var addresses = Parse(endpoints, _options.HasTlsSettings);
        return addresses.Select(address =>
            existing.FirstOrDefault(c => c.Address == address.ToString().TrimEnd('/')) ?? Create(address)).ToList();
    }

    /// <summary>Parses endpoints into distinct channel addresses, in order.</summary>
    /// <exception cref="ArgumentException">An endpoint is not an http(s) URL with a host and port, or none is given.</exception>
    public static List<Uri> Parse(IEnumerable<string> endpoints, bool defaultToHttps)
    {
        var addresses = new List<Uri>();
        foreach (var endpoint in endpoints)
        {
            if (!EndpointAddress.TryParse(endpoint, defaultToHttps, out var address))
            {
                throw new ArgumentException($"Endpoint '{endpoint}' is not an http:// or https:// URL with a host and port.", nameof(endpoints));
            }

            if (!addresses.Contains(address))
            {
                addresses.Add(address);
            }
        }

        return addresses.Count > 0
            ? addresses
            : throw new ArgumentException("At least one endpoint is required.", nameof(endpoints));
    }

    private EndpointChannel Create(Uri address) => new(address, () => Open(address), _sendSizeLimit);

    private GrpcChannel Open(Uri address)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = _options.DialTimeout,
            KeepAlivePingDelay = _options.KeepAliveInterval,
            KeepAlivePingTimeout = _options.KeepAliveTimeout,
            // Like Go's clientv3 (PermitWithoutStream false): etcd's server allows pings on a connection with
            // no call only every 2 hours and answers more with GOAWAY ENHANCE_YOUR_CALM, which would also
            // break a watch that had just started on that connection.
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        };
        if (address.Scheme == Uri.UriSchemeHttps)
        {
            handler.SslOptions = CreateSslOptions(address.Host, _trust, _clientCertificate);
        }

        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = _options.MaxReceiveMessageSize,
            // Unary requests are measured first by SendSizeLimit, which says which request and how large; gRPC's
            // own limit still guards the messages of streams.
            MaxSendMessageSize = _options.MaxSendMessageSize,
        });
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
