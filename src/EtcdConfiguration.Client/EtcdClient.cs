using EtcdConfiguration.Client.Internal;
using EtcdConfiguration.Client.Namespaces;

namespace EtcdConfiguration.Client;

/// <summary>
/// A client of one etcd cluster, the .NET counterpart of Go's <c>clientv3.Client</c>: <see cref="KV"/>,
/// <see cref="Lease"/>, <see cref="Watch"/>, <see cref="Auth"/>, <see cref="Maintenance"/> and
/// <see cref="Cluster"/> share one HTTP/2 channel per endpoint, the authentication token and the retry policy.
/// </summary>
/// <remarks>
/// Create one client per cluster and reuse it; it is safe for concurrent use. Disposing it ends its watches
/// and keep-alives and closes its connections.
/// </remarks>
public sealed class EtcdClient : IDisposable, IAsyncDisposable
{
    private readonly EtcdConnection _connection;
    private readonly EndpointAutoSync? _autoSync;
    private int _disposed;

    /// <summary>Creates a client. It connects on first use; see <see cref="ConnectAsync"/> to fail fast instead.</summary>
    /// <param name="options">Where the cluster is and how to reach it.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public EtcdClient(EtcdClientOptions options)
    {
        _connection = new EtcdConnection(options);
        KV = new KVClient(_connection);
        Lease = new LeaseClient(_connection);
        Watch = new WatchClient(_connection);
        Auth = new AuthClient(_connection);
        Maintenance = new MaintenanceClient(_connection);
        Cluster = new ClusterClient(_connection);
        if (options.AutoSyncInterval is { } interval && interval > TimeSpan.Zero)
        {
            _autoSync = new EndpointAutoSync(
                interval,
                options.TimeProvider,
                Cluster.MemberListAsync,
                _connection.SetEndpoints,
                options.HasTlsSettings,
                _connection.Logger);
            _autoSync.Start();
        }
    }

    /// <summary>Creates a client for comma-separated endpoints, with default options.</summary>
    /// <param name="endpoints">One or more URLs separated by commas, such as <c>http://127.0.0.1:2379</c>.</param>
    public EtcdClient(string endpoints)
        : this(new EtcdClientOptions { Endpoints = SplitEndpoints(endpoints) })
    {
    }

    /// <summary>Key-value calls.</summary>
    public KVClient KV { get; }

    /// <summary>Lease calls.</summary>
    public LeaseClient Lease { get; }

    /// <summary>Watches.</summary>
    public WatchClient Watch { get; }

    /// <summary>Authentication.</summary>
    public AuthClient Auth { get; }

    /// <summary>Maintenance calls.</summary>
    public MaintenanceClient Maintenance { get; }

    /// <summary>Cluster membership.</summary>
    public ClusterClient Cluster { get; }

    /// <summary>
    /// What this client treats as transient and how long it waits between retries and reconnects, on its
    /// <see cref="EtcdClientOptions.TimeProvider"/>; code that retries on top of the client can wait the same way.
    /// </summary>
    public EtcdRetryPolicy RetryPolicy => _connection.Policy;

    /// <summary>
    /// The largest response this client accepts, in bytes (<see cref="EtcdClientOptions.MaxReceiveMessageSize"/>): a
    /// larger one fails with <see cref="Grpc.Core.StatusCode.ResourceExhausted"/>, so code that reads many keys can size
    /// its requests below it.
    /// </summary>
    public int MaxReceiveMessageSize => _connection.Options.MaxReceiveMessageSize;

    /// <summary>
    /// The endpoints this client uses now, normalised (scheme, host and port): those of its options, or the last
    /// <see cref="SetEndpoints"/> or <see cref="EtcdClientOptions.AutoSyncInterval"/> refresh.
    /// </summary>
    public IReadOnlyList<string> Endpoints => _connection.Endpoints.Select(e => e.Address).ToArray();

    /// <summary>
    /// Replaces the endpoints of this running client, as Go's <c>Client.SetEndpoints</c> does: new calls and
    /// reconnects use the new list (staying on the endpoint in use when it is still in it), and the shared watch and
    /// keep-alive streams open on an endpoint that left move to the new list at once, losing no event. Connections
    /// to endpoints that left are closed once calls already running on them have had
    /// <see cref="EtcdClientOptions.RequestTimeout"/> to finish. The client's options are not changed.
    /// </summary>
    /// <param name="endpoints">One or more URLs, as for <see cref="EtcdClientOptions.Endpoints"/>.</param>
    /// <exception cref="ArgumentException">No endpoint is given, or one is not an http(s) URL with a host and port (the message names it).</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public void SetEndpoints(params string[] endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        _connection.SetEndpoints(endpoints);
    }

    /// <summary>
    /// Creates a client and waits until an endpoint answers, like Go's <c>clientv3.New</c> with a dial timeout.
    /// </summary>
    /// <param name="options">Where the cluster is and how to reach it.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A connected client.</returns>
    /// <exception cref="EtcdUnavailableException">No endpoint answered within <see cref="EtcdClientOptions.DialTimeout"/>.</exception>
    /// <exception cref="EtcdAuthenticationException">The credentials were refused.</exception>
    public static async Task<EtcdClient> ConnectAsync(EtcdClientOptions options, CancellationToken cancellationToken = default)
    {
        var client = new EtcdClient(options);
        try
        {
            await client.Maintenance.StatusAsync(cancellationToken: cancellationToken);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A view of this client inside the key prefix <paramref name="prefix"/> (Go's <c>namespace.NewKV</c>,
    /// <c>NewWatcher</c> and <c>NewLease</c>): its KV, Watch and Lease calls add the prefix to every key and range
    /// they send and strip it from every key they return.
    /// </summary>
    /// <param name="prefix">The namespace, such as <c>/tenant-a/</c>.</param>
    /// <returns>The view; it shares this client and needs no disposal.</returns>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> is empty.</exception>
    public EtcdNamespace WithNamespace(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return new EtcdNamespace(this, prefix);
    }

    /// <summary>Splits a comma-separated endpoint list, dropping blanks.</summary>
    /// <param name="endpoints">Such as <c>http://a:2379,http://b:2379</c>.</param>
    /// <returns>The endpoints, trimmed.</returns>
    public static IList<string> SplitEndpoints(string endpoints)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoints);
        return endpoints.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }

    /// <summary>Ends the client's watches and keep-alives (their enumerations finish) and closes its connections.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _ = _autoSync?.StopAsync();
            _ = Watch.CloseAsync();
            _ = Lease.ShutdownAsync();
            _connection.Dispose();
        }
    }

    /// <summary>
    /// Ends the client's watches and keep-alives, waits until their background loops have stopped, and closes its
    /// connections.
    /// </summary>
    /// <returns>A task that completes when everything is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            try
            {
                await Task.WhenAll(_autoSync?.StopAsync() ?? Task.CompletedTask, Watch.CloseAsync(), Lease.ShutdownAsync());
            }
            finally
            {
                _connection.Dispose();
            }
        }
    }
}
