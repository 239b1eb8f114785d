using EtcdConfiguration.Testing;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Client.Tests.Watch;

/// <summary>One etcd member shared by the tests of a class; each test uses its own key prefix.</summary>
public sealed class SingleMemberEtcd : IAsyncLifetime
{
    private int _prefixes;

    public EtcdCluster Cluster { get; private set; } = null!;

    /// <summary>Writes that bypass the client under test (its KV part is tested elsewhere).</summary>
    internal RawKv Kv { get; private set; } = null!;

    /// <summary>A client of the member; its first call may wait for JIT and a loaded machine, hence the long dial timeout.</summary>
    public EtcdClient CreateClient(ILoggerFactory? logs = null) => new(new EtcdClientOptions
    {
        Endpoints = [.. Cluster.ClientUrls],
        DialTimeout = TimeSpan.FromSeconds(30),
        LoggerFactory = logs,
    });

    /// <summary>A key prefix no other test uses, such as <c>t7-prefix-watch/</c>.</summary>
    public string UniquePrefix(string name) => $"t{Interlocked.Increment(ref _prefixes)}-{name}/";

    public async Task InitializeAsync()
    {
        Cluster = await EtcdCluster.StartAsync();
        Kv = new RawKv(Cluster.ClientUrls[0]);
    }

    public async Task DisposeAsync()
    {
        Kv?.Dispose();
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}
