using EtcdConfiguration.Client.Internal;

namespace EtcdConfiguration.Client;

/// <summary>Key-value calls: Put, Get, Delete, Compact, Do and Txn.</summary>
public sealed class KVClient
{
    private readonly EtcdConnection _connection;

    internal KVClient(EtcdConnection connection) => _connection = connection;
}
