using EtcdConfiguration.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration;

/// <summary>
/// Configuration from one etcd key prefix: where etcd is, which prefix to load, how values are decoded, and
/// what happens when etcd is unreachable. Add it with
/// <see cref="EtcdConfigurationExtensions.AddEtcd(IConfigurationBuilder, Action{EtcdConfigurationSource})"/>.
/// </summary>
public class EtcdConfigurationSource : IConfigurationSource
{
    /// <summary>The cluster's client URLs. Default: <c>http://127.0.0.1:2379</c>.</summary>
    public IList<string> Endpoints { get; set; } = new List<string> { "http://127.0.0.1:2379" };

    /// <summary>
    /// The key prefix to load, treated as a directory: <c>/myapp</c> and <c>/myapp/</c> both load
    /// <c>/myapp/...</c> and never <c>/myappspam</c>. Required.
    /// </summary>
    public string Prefix { get; set; } = string.Empty;

    /// <summary>
    /// Whether the app may start without this source. An optional source waits at most 1 s (or
    /// <see cref="StartupTimeout"/>, if shorter) for its first load, so an etcd that refuses, cannot be resolved or
    /// is slow never holds up startup; it then starts empty and fills in when etcd answers. A required one fails the
    /// build after <see cref="StartupTimeout"/>. Default: <see langword="false"/>.
    /// </summary>
    public bool Optional { get; set; }

    /// <summary>Whether changes in etcd are watched and applied live. Default: <see langword="true"/>.</summary>
    public bool ReloadOnChange { get; set; } = true;

    /// <summary>
    /// How long the first load may take before a required source fails. The provider's client dials for as long
    /// (its <see cref="EtcdClientOptions.DialTimeout"/>, unless <see cref="ConfigureClient"/> sets another). Default: 10 s.
    /// </summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How values are decoded. Default: <see cref="EtcdValueFormat.Auto"/>.</summary>
    public EtcdValueFormat ValueFormat { get; set; } = EtcdValueFormat.Auto;

    /// <summary>The etcd user to authenticate as; <see langword="null"/> when etcd has no authentication.</summary>
    public string? Username { get; set; }

    /// <summary>The password of <see cref="Username"/>. It never appears in messages or logs.</summary>
    public string? Password { get; set; }

    /// <summary>A PEM file with the certificate authority that signed the servers' certificates.</summary>
    public string? CaCertificateFile { get; set; }

    /// <summary>A PEM file with a client certificate, for servers started with <c>--client-cert-auth</c>.</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>A PEM file with the private key of <see cref="ClientCertificateFile"/>.</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>
    /// A file where the provider keeps its last-known-good data, or <see langword="null"/> (the default) for none.
    /// After every successful load and every change, the configuration pairs and their etcd revision are written
    /// there in the background (atomically, readable by the owner only, with a checksum). When etcd cannot be
    /// reached at startup, the provider starts from this file instead, reports itself stale, and switches to etcd's
    /// data (with one reload) as soon as etcd answers; a required source then starts too. A damaged file, or one
    /// written for another prefix or value format, is reported and ignored. The file holds configuration values:
    /// keep it on a private path. Its path may appear in logs; its content never does.
    /// </summary>
    public string? CacheFile { get; set; }

    /// <summary>Where the provider and its client log. Default: no logging.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Called when loading fails (<see cref="EtcdLoadExceptionContext.Key"/> is <see langword="null"/>) or an etcd key
    /// is skipped for a bad value (<see cref="EtcdLoadExceptionContext.Key"/> names it). For a failed first load of a
    /// required source, setting <see cref="EtcdLoadExceptionContext.Ignore"/> starts the app empty instead of failing,
    /// as <c>AddJsonFile</c>'s <c>Ignore</c> does: fail-fast is then off.
    /// </summary>
    public Action<EtcdLoadExceptionContext>? OnLoadException { get; set; }

    /// <summary>
    /// Adjusts the client's options (timeouts, retries, keep-alive) after they are built from this source.
    /// Sources with the same endpoints and credentials share one client, configured by the first of them.
    /// </summary>
    public Action<EtcdClientOptions>? ConfigureClient { get; set; }

    /// <summary>
    /// Whether the provider may share one etcd watch with the other providers of the same client, prefix and value
    /// format (the default); off, it watches on its own. For the benchmark's comparison and tests.
    /// </summary>
    internal bool ShareWatch { get; set; } = true;

    /// <summary>
    /// Whether this source shares its client with every other source of the same options in the process (the
    /// default), or opens a client, connection and watch stream of its own. Off only where each provider must stand
    /// for a separate app, as the scale benchmark's instances do.
    /// </summary>
    internal bool ShareClient { get; set; } = true;

    /// <summary>Builds the provider for this source.</summary>
    /// <param name="builder">The configuration builder.</param>
    /// <returns>An <see cref="EtcdConfigurationProvider"/>.</returns>
    public virtual IConfigurationProvider Build(IConfigurationBuilder builder) => new EtcdConfigurationProvider(this);
}
