using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Client.Tests.Core;

/// <summary>
/// One etcd with authentication on and 2 s tokens, a read-only user on <c>/ro/</c> and a read-write user on
/// <c>/app/</c>.
/// </summary>
public sealed class AuthFixture : IAsyncLifetime
{
    public const string Reader = "reader";
    public const string ReaderPassword = "reader-secret-31";
    public const string Writer = "writer";
    public const string WriterPassword = "writer-secret-47";

    public EtcdCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 1, AuthTokenTtlSeconds = 2 });
        await Cluster.EnableAuthAsync("root-secret-59");
        await Cluster.AddUserAsync(Reader, ReaderPassword, "readers", "/ro/", readOnly: true);
        await Cluster.AddUserAsync(Writer, WriterPassword, "writers", "/app/", readOnly: false);
        await Cluster.PutAsync("/ro/greeting", "hello");
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }

    public EtcdClientOptions Options(string? user, string? password, FakeLogCollector? logs = null) => new()
    {
        Endpoints = EtcdClient.SplitEndpoints(Cluster.Endpoints),
        Username = user,
        Password = password,
        // Long, since the server is expected to answer: a first call pays for JIT and bcrypt on a loaded machine.
        DialTimeout = TimeSpan.FromSeconds(30),
        LoggerFactory = logs?.CreateFactory(),
    };
}
