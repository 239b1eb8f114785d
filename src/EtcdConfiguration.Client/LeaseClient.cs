using EtcdConfiguration.Client.Internal;

namespace EtcdConfiguration.Client;

/// <summary>Lease calls: Grant, Revoke, TimeToLive, Leases, KeepAlive and KeepAliveOnce.</summary>
public sealed class LeaseClient
{
    private readonly EtcdConnection _connection;

    internal LeaseClient(EtcdConnection connection) => _connection = connection;
}
