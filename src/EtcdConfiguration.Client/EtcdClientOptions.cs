using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Client;

/// <summary>
/// Settings for an <see cref="EtcdClient"/>: where etcd is, how to reach it securely, and how patiently.
/// </summary>
/// <remarks>
/// The defaults suit a client on the same network as its cluster. Call <see cref="Validate"/> (the client does)
/// to get one clear error for every bad setting.
/// </remarks>
public sealed class EtcdClientOptions
{
    /// <summary>
    /// The cluster's client URLs, such as <c>http://127.0.0.1:2379</c> or <c>https://etcd-1:2379</c>.
    /// A value without a scheme uses <c>https</c> when TLS settings are given and <c>http</c> otherwise.
    /// Default: <c>http://127.0.0.1:2379</c>.
    /// </summary>
    public IList<string> Endpoints { get; set; } = new List<string> { "http://127.0.0.1:2379" };

    /// <summary>
    /// How long the first connection may take: until one endpoint has answered once, calls fail with
    /// <see cref="EtcdUnavailableException"/> after this long. Later the client reconnects by itself. Default: 5 s.
    /// </summary>
    public TimeSpan DialTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The deadline of one attempt of a unary call (Range, Put, Txn...). Streams (Watch, KeepAlive) have none.
    /// Default: 10 s.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many times a failed call that is safe to repeat is retried, failing over to the next endpoint
    /// each time. Reads are always safe; writes only when they certainly never reached a server. Default: 3.
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry's delay; later ones grow exponentially, with jitter. Default: 50 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest delay between two retries or stream reconnects. Default: 2 s.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The idle time after which an HTTP/2 ping checks that a connection with an open call or stream (a watch,
    /// a lease keep-alive) is still alive. Default: 5 s. Keep it at or above the server's
    /// <c>--grpc-keepalive-min-time</c> (5 s by default), or etcd closes the connection as too chatty.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a keep-alive ping may go unanswered before the connection is dropped and the client fails over.
    /// Default: 5 s.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest response message accepted, in bytes. Default: 64 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// The largest request the client sends, in bytes (its protobuf encoding), like Go's <c>MaxCallSendMsgSize</c>.
    /// A larger request fails at once with <see cref="EtcdRequestTooLargeException"/>, naming its size and this
    /// limit, and is never sent or retried. Default: 2 MiB, as in Go; etcd refuses requests over its own
    /// <c>--max-request-bytes</c> (1.5 MiB by default) anyway.
    /// </summary>
    public int MaxSendMessageSize { get; set; } = 2 * 1024 * 1024;

    /// <summary>
    /// Whether unary calls (Range, Put, Txn, Lease and Cluster calls...) carry etcd's require-leader flag, Go's
    /// <c>clientv3.WithRequireLeader</c>: a member cut off from its leader then refuses them at once ("etcdserver:
    /// no leader", an <see cref="EtcdUnavailableException"/>, retried on the next endpoint as the retry policy says)
    /// instead of holding them until <see cref="RequestTimeout"/>. Watches and lease keep-alives always carry it.
    /// Default: <see langword="false"/>, as in Go.
    /// </summary>
    public bool RequireLeader { get; set; }

    /// <summary>
    /// How often the client refreshes its endpoints from the cluster's member list (the client URLs of started,
    /// voting members), like Go's <c>AutoSyncInterval</c>, so a long-running client follows a cluster whose members
    /// are replaced. <see langword="null"/> or zero: never (the default); the endpoints then change only by
    /// <see cref="EtcdClient.SetEndpoints"/>. A failed refresh is logged and tried again after the next interval.
    /// </summary>
    public TimeSpan? AutoSyncInterval { get; set; }

    /// <summary>The user to authenticate as when etcd has authentication enabled; <see langword="null"/> for none.</summary>
    public string? Username { get; set; }

    /// <summary>The password of <see cref="Username"/>. It never appears in messages or logs.</summary>
    public string? Password { get; set; }

    /// <summary>A certificate authority to trust for the servers' certificates, instead of the system's.</summary>
    public X509Certificate2? CaCertificate { get; set; }

    /// <summary>A PEM file holding the certificate authority to trust (an alternative to <see cref="CaCertificate"/>).</summary>
    public string? CaCertificateFile { get; set; }

    /// <summary>A client certificate with its private key, for servers started with <c>--client-cert-auth</c>.</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>A PEM file holding the client certificate (with <see cref="ClientKeyFile"/>).</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>A PEM file holding the client certificate's private key.</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>Where the client logs connection changes, failovers and retries. Default: no logging.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// The clock the retry and reconnect delays, the <see cref="DialTimeout"/>, the <see cref="AutoSyncInterval"/>
    /// and a kept-alive lease's expiry (see <see cref="LeaseClient.KeepAliveAsync"/>) run on (see
    /// <see cref="EtcdRetryPolicy"/>). Tests may pass a fake one; gRPC deadlines (<see cref="RequestTimeout"/>) and
    /// the keep-alive pings always use the real clock. Default: <see cref="TimeProvider.System"/>.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Whether TLS settings were given, so scheme-less endpoints default to <c>https</c>.</summary>
    internal bool HasTlsSettings =>
        CaCertificate is not null || CaCertificateFile is not null || ClientCertificate is not null || ClientCertificateFile is not null;

    /// <summary>
    /// Checks every setting and throws one <see cref="ArgumentException"/> that lists each problem.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (Endpoints is null || Endpoints.Count == 0 || Endpoints.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add("Endpoints must hold at least one non-empty URL.");
        }
        else
        {
            foreach (var endpoint in Endpoints)
            {
                if (!Internal.EndpointAddress.TryParse(endpoint, HasTlsSettings, out _))
                {
                    problems.Add($"Endpoint '{endpoint}' is not an http:// or https:// URL with a host and port.");
                }
            }
        }

        RequirePositive(DialTimeout, nameof(DialTimeout), problems);
        RequirePositive(RequestTimeout, nameof(RequestTimeout), problems);
        RequirePositive(RetryBaseDelay, nameof(RetryBaseDelay), problems);
        RequirePositive(RetryMaxDelay, nameof(RetryMaxDelay), problems);
        RequirePositive(KeepAliveInterval, nameof(KeepAliveInterval), problems);
        RequirePositive(KeepAliveTimeout, nameof(KeepAliveTimeout), problems);
        if (MaxRetries is < 0 or > 100)
        {
            problems.Add($"MaxRetries must be between 0 and 100, not {MaxRetries}.");
        }

        if (MaxReceiveMessageSize < 1024)
        {
            problems.Add($"MaxReceiveMessageSize must be at least 1024 bytes, not {MaxReceiveMessageSize}.");
        }

        if (MaxSendMessageSize < 1024)
        {
            problems.Add($"MaxSendMessageSize must be at least 1024 bytes, not {MaxSendMessageSize}.");
        }

        if (AutoSyncInterval < TimeSpan.Zero)
        {
            problems.Add($"AutoSyncInterval must not be negative, not {AutoSyncInterval}; use null or zero to turn it off.");
        }

        if (TimeProvider is null)
        {
            problems.Add("TimeProvider must not be null; use TimeProvider.System.");
        }

        if (Username is not null && Password is null)
        {
            problems.Add($"Password is required when Username ('{Username}') is set.");
        }

        if (Password is not null && string.IsNullOrEmpty(Username))
        {
            problems.Add("Username is required when Password is set.");
        }

        if ((ClientCertificateFile is null) != (ClientKeyFile is null))
        {
            problems.Add("ClientCertificateFile and ClientKeyFile must be given together.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid etcd client options: " + string.Join(" ", problems));
        }
    }

    private static void RequirePositive(TimeSpan value, string name, List<string> problems)
    {
        if (value <= TimeSpan.Zero)
        {
            problems.Add($"{name} must be positive.");
        }
    }
}
