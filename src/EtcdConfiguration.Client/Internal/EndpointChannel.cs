using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Wire = EtcdConfiguration.Client.Wire;

namespace EtcdConfiguration.Client.Internal;

/// <summary>One endpoint's HTTP/2 channel, reused by every call, with the generated stubs bound to it.</summary>
internal sealed class EndpointChannel : IDisposable
{
    public EndpointChannel(Uri address, GrpcChannel channel, Interceptor interceptor)
    {
        Address = address.ToString().TrimEnd('/');
        Channel = channel;
        var invoker = channel.Intercept(interceptor);
        KV = new Wire.KV.KVClient(invoker);
        Watch = new Wire.Watch.WatchClient(invoker);
        Lease = new Wire.Lease.LeaseClient(invoker);
        Auth = new Wire.Auth.AuthClient(invoker);
        Maintenance = new Wire.Maintenance.MaintenanceClient(invoker);
        Cluster = new Wire.Cluster.ClusterClient(invoker);
    }

    /// <summary>The endpoint as logs and messages show it, such as <c>http://127.0.0.1:2379</c>.</summary>
    public string Address { get; }

    public GrpcChannel Channel { get; }

    public Wire.KV.KVClient KV { get; }

    public Wire.Watch.WatchClient Watch { get; }

    public Wire.Lease.LeaseClient Lease { get; }

    public Wire.Auth.AuthClient Auth { get; }

    public Wire.Maintenance.MaintenanceClient Maintenance { get; }

    public Wire.Cluster.ClusterClient Cluster { get; }

    public override string ToString() => Address;

    public void Dispose() => Channel.Dispose();
}
