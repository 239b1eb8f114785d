using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Wire = EtcdConfiguration.Client.Wire;

namespace EtcdConfiguration.Client.Internal;

/// <summary>
/// One endpoint's HTTP/2 channel, reused by every call, with the generated stubs bound to it. The channel (its
/// handler and connection pool, about 4 KiB) is built on first use, and each stub on its own first use: a client lists
/// every member but talks to one, and at thousands of clients the channels of the endpoints never used would be most
/// of a client's memory.
/// </summary>
internal sealed class EndpointChannel : IDisposable
{
    private readonly Func<GrpcChannel> _open;
    private readonly Interceptor _interceptor;
    private readonly Lock _gate = new();
    private Stubs? _stubs;
    private bool _disposed;

    public EndpointChannel(Uri address, Func<GrpcChannel> open, Interceptor interceptor)
    {
        Address = address.ToString().TrimEnd('/');
        _open = open;
        _interceptor = interceptor;
    }

    /// <summary>The endpoint as logs and messages show it, such as <c>http://127.0.0.1:2379</c>.</summary>
    public string Address { get; }

    public GrpcChannel Channel => Open().Channel;

    public Wire.KV.KVClient KV => Open().KV;

    public Wire.Watch.WatchClient Watch => Open().Watch;

    public Wire.Lease.LeaseClient Lease => Open().Lease;

    public Wire.Auth.AuthClient Auth => Open().Auth;

    public Wire.Maintenance.MaintenanceClient Maintenance => Open().Maintenance;

    public Wire.Cluster.ClusterClient Cluster => Open().Cluster;

    public override string ToString() => Address;

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _stubs?.Channel.Dispose();
        }
    }

    private Stubs Open()
    {
        if (Volatile.Read(ref _stubs) is { } stubs)
        {
            return stubs;
        }

        lock (_gate)
        {
            if (_stubs is null)
            {
                var created = new Stubs(_open(), _interceptor);
                if (_disposed)
                {
                    // Closed before its first call: the call fails as it would on a channel opened and then closed.
                    created.Channel.Dispose();
                }

                Volatile.Write(ref _stubs, created);
            }

            return _stubs;
        }
    }

    /// <summary>
    /// The channel and its stubs, each stub made on its first use: a configuration provider calls KV and Watch only,
    /// and at thousands of clients the other stubs (about 150 bytes each) would be memory held for nothing. Two
    /// threads may both make one; either copy works, the other is dropped.
    /// </summary>
    private sealed class Stubs(GrpcChannel channel, Interceptor interceptor)
    {
        private readonly CallInvoker _invoker = channel.Intercept(interceptor);
        private Wire.KV.KVClient? _kv;
        private Wire.Watch.WatchClient? _watch;
        private Wire.Lease.LeaseClient? _lease;
        private Wire.Auth.AuthClient? _auth;
        private Wire.Maintenance.MaintenanceClient? _maintenance;
        private Wire.Cluster.ClusterClient? _cluster;

        public GrpcChannel Channel { get; } = channel;

        public Wire.KV.KVClient KV => _kv ??= new(_invoker);

        public Wire.Watch.WatchClient Watch => _watch ??= new(_invoker);

        public Wire.Lease.LeaseClient Lease => _lease ??= new(_invoker);

        public Wire.Auth.AuthClient Auth => _auth ??= new(_invoker);

        public Wire.Maintenance.MaintenanceClient Maintenance => _maintenance ??= new(_invoker);

        public Wire.Cluster.ClusterClient Cluster => _cluster ??= new(_invoker);
    }
}
