namespace EtcdConfiguration.Testing;

/// <summary>How <see cref="EtcdCluster.StartAsync"/> starts its etcd members.</summary>
public sealed class EtcdClusterOptions
{
    /// <summary>Number of members (1 or 3 in practice; any n &gt;= 1 works).</summary>
    public int Members { get; set; } = 1;

    /// <summary>Serve the client URLs over https with certificates generated for the cluster.</summary>
    public bool Tls { get; set; }

    /// <summary>Require client certificates (etcd <c>--client-cert-auth</c>); implies <see cref="Tls"/>.</summary>
    public bool ClientCertAuth { get; set; }

    /// <summary>
    /// Serve https with a server certificate whose only subject alternative name is <c>wrong.example</c>,
    /// so a client that checks the host name must refuse it; implies <see cref="Tls"/>.
    /// </summary>
    public bool TlsWithWrongServerName { get; set; }

    /// <summary>etcd <c>--auth-token-ttl</c> in seconds (simple tokens); null keeps etcd's default.</summary>
    public int? AuthTokenTtlSeconds { get; set; }

    /// <summary>
    /// etcd <c>--quota-backend-bytes</c>: the database size at which etcd raises the NOSPACE alarm and refuses writes
    /// (a test can reach it with a few writes, such as a dozen 100 KB values under a 1 MiB quota); null keeps etcd's
    /// default (2 GiB).
    /// </summary>
    public long? QuotaBackendBytes { get; set; }

    /// <summary>Extra etcd flags appended to every member's command line.</summary>
    public IList<string> ExtraArguments { get; } = new List<string>();

    /// <summary>Bound on a start, a restart or a health wait.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal bool UsesTls => Tls || ClientCertAuth || TlsWithWrongServerName;
}
