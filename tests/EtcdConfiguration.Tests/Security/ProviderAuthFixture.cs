using EtcdConfiguration.Client;
using EtcdConfiguration.Testing;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tests.Security;

/// <summary>
/// One etcd with authentication on and tokens that expire 2 s after their last use: a user who may only read
/// <c>/app/</c>, one who may write it, and one who may only read <c>/other/</c>. Tests work under their own
/// <c>/app/&lt;guid&gt;/</c> prefix.
/// </summary>
public sealed class ProviderAuthFixture : IAsyncLifetime
{
    public const int TokenTtlSeconds = 2;
    public const string RootPassword = "root-Pw-5t7q9";
    public const string Reader = "cfg-reader";
    public const string ReaderPassword = "reader-Pw-8k2m4";
    public const string Writer = "cfg-writer";
    public const string WriterPassword = "writer-Pw-3x6v1";
    public const string Outsider = "cfg-outsider";
    public const string OutsiderPassword = "outsider-Pw-9r4w2";

    public EtcdCluster Cluster { get; private set; } = null!;

    public IList<string> Endpoints => EtcdClient.SplitEndpoints(Cluster.Endpoints);

    public async Task InitializeAsync()
    {
        Cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 1, AuthTokenTtlSeconds = TokenTtlSeconds });
        await Cluster.EnableAuthAsync(RootPassword);
        await Cluster.AddUserAsync(Reader, ReaderPassword, "app-readers", "/app/", readOnly: true);
        await Cluster.AddUserAsync(Writer, WriterPassword, "app-writers", "/app/", readOnly: false);
        await Cluster.AddUserAsync(Outsider, OutsiderPassword, "other-readers", "/other/", readOnly: true);
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }

    /// <summary>A prefix under <c>/app/</c> no other test uses.</summary>
    public static string NewPrefix() => $"/app/{Guid.NewGuid():N}/";

    /// <summary>A client of our own that writes as <see cref="Writer"/>, apart from the providers' pooled clients.</summary>
    public Task<EtcdClient> ConnectWriterAsync() =>
        EtcdClient.ConnectAsync(new EtcdClientOptions
        {
            Endpoints = Endpoints,
            Username = Writer,
            Password = WriterPassword,
            DialTimeout = TestTimeouts.EtcdAnswers,
        });

    /// <summary>Builds a configuration with one etcd source on this cluster for <paramref name="prefix"/>, as <paramref name="user"/>.</summary>
    public ConfigurationRoot Build(string prefix, string user, string password, Action<EtcdConfigurationSource>? configure = null) =>
        (ConfigurationRoot)new ConfigurationBuilder()
            .AddEtcd(source =>
            {
                source.Endpoints = Endpoints;
                source.Prefix = prefix;
                source.Username = user;
                source.Password = password;
                source.StartupTimeout = TestTimeouts.EtcdAnswers;
                configure?.Invoke(source);
            })
            .Build();
}
