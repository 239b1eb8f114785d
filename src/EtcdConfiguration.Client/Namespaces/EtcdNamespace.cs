namespace EtcdConfiguration.Client.Namespaces;

/// <summary>
/// A client's view of one key prefix, from <see cref="EtcdClient.WithNamespace"/> (Go's <c>namespace</c> package):
/// <see cref="KV"/>, <see cref="Watch"/> and <see cref="Lease"/> prefix keys on the way out and strip the prefix on
/// the way in, so code written for a whole keyspace runs unchanged inside a tenant's part of it.
/// </summary>
/// <remarks>
/// The view shares the client's connections, watch stream and keep-alive loop, and lives as long as the client;
/// it needs no disposal. The prefix is a plain byte prefix: end it with <c>/</c> to keep <c>/tenant</c> apart
/// from <c>/tenant2</c>.
/// </remarks>
public sealed class EtcdNamespace
{
    internal EtcdNamespace(EtcdClient client, string prefix)
    {
        var keys = new KeyPrefix(prefix);
        Prefix = prefix;
        KV = new NamespaceKVClient(client.KV, keys);
        Watch = new NamespaceWatchClient(client.Watch, keys);
        Lease = new NamespaceLeaseClient(client.Lease, keys);
    }

    /// <summary>The prefix every key of the view gets in etcd.</summary>
    public string Prefix { get; }

    /// <summary>Key-value calls inside the namespace.</summary>
    public NamespaceKVClient KV { get; }

    /// <summary>Watches inside the namespace.</summary>
    public NamespaceWatchClient Watch { get; }

    /// <summary>Lease calls, with attached keys listed relative to the namespace.</summary>
    public NamespaceLeaseClient Lease { get; }

    /// <summary>The prefix.</summary>
    /// <returns>Such as <c>namespace /tenant-a/</c>.</returns>
    public override string ToString() => $"namespace {Prefix}";
}
