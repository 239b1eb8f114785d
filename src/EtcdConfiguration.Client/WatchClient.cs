using EtcdConfiguration.Client.Internal;

namespace EtcdConfiguration.Client;

/// <summary>Watches: streams of changes to a key, a prefix or a range, all sharing one gRPC stream.</summary>
public sealed class WatchClient
{
    private readonly EtcdConnection _connection;

    internal WatchClient(EtcdConnection connection) => _connection = connection;
}
