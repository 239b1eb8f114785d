using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Wire = EtcdConfiguration.Client.Wire;

namespace EtcdConfiguration.Client.Internal;

/// <summary>
/// One endpoint's HTTP/2 channel, reused by every call, with the generated stubs bound to it. The channel (its
/// handler, connection pool and stubs, about 4 KiB) is built on first use: a client lists every member but talks to
/// one, and at thousands of clients the channels of the endpoints never used would be most of a client's memory.
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

    private sealed class Stubs
    {
        public Stubs(GrpcChannel channel, Interceptor interceptor)
        {
            Channel = channel;
            var invoker = channel.Intercept(interceptor);
            KV = new Wire.KV.KVClient(invoker);
            Watch = new Wire.Watch.WatchClient(invoker);
            Lease = new Wire.Lease.LeaseClient(invoker);
            Auth = new Wire.Auth.AuthClient(invoker);
            Maintenance = new Wire.Maintenance.MaintenanceClient(invoker);
            Cluster = new Wire.Cluster.ClusterClient(invoker);
        }

        public GrpcChannel Channel { get; }

        public Wire.KV.KVClient KV { get; }

        public Wire.Watch.WatchClient Watch { get; }

        public Wire.Lease.LeaseClient Lease { get; }

        public Wire.Auth.AuthClient Auth { get; }

        public Wire.Maintenance.MaintenanceClient Maintenance { get; }

        public Wire.Cluster.ClusterClient Cluster { get; }
    }
}
