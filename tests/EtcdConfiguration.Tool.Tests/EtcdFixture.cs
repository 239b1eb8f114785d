using EtcdConfiguration.Client;
using EtcdConfiguration.Testing;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tool.Tests;

/// <summary>
/// One single-member etcd and a client of ours, shared by the tests of a class; each test works under its own
/// prefix from <see cref="NewPrefix"/>.
/// </summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    public static readonly TimeSpan EtcdAnswers = TimeSpan.FromSeconds(30);

    public EtcdCluster Cluster { get; private set; } = null!;

    public EtcdClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 1 });
        Client = await EtcdClient.ConnectAsync(new EtcdClientOptions
        {
            Endpoints = EtcdClient.SplitEndpoints(Cluster.Endpoints),
            DialTimeout = EtcdAnswers,
        });
    }

    public async Task DisposeAsync()
    {
        if (Client is not null)
        {
            await Client.DisposeAsync();
        }

        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }

    public static string NewPrefix() => $"/t/{Guid.NewGuid():N}/";

    /// <summary>Runs <c>etcd-config</c> in process against this member, under <paramref name="prefix"/>.</summary>
    public Task<ToolRun> RunAsync(string prefix, params string[] args) =>
        ToolRun.RunAsync(["--endpoints", Cluster.Endpoints, "--prefix", prefix, .. args]);

    /// <summary>What an app's <c>AddEtcd</c> gives for <paramref name="prefix"/>, every section included.</summary>
    public SortedDictionary<string, string?> AddEtcd(string prefix, EtcdValueFormat format = EtcdValueFormat.Auto)
    {
        using var root = (ConfigurationRoot)new ConfigurationBuilder()
            .AddEtcd(source =>
            {
                source.Endpoints = EtcdClient.SplitEndpoints(Cluster.Endpoints);
                source.Prefix = prefix;
                source.ReloadOnChange = false;
                source.ValueFormat = format;
                source.StartupTimeout = EtcdAnswers;
            })
            .Build();
        return Flatten(root);
    }

    /// <summary>What <c>AddJsonFile</c> gives for <paramref name="path"/>, every section included.</summary>
    public static SortedDictionary<string, string?> AddJsonFile(string path)
    {
        var root = (ConfigurationRoot)new ConfigurationBuilder().AddJsonFile(path).Build();
        return Flatten(root);
    }

    // Every section with its value, keys upper-cased: configuration compares keys case-insensitively.
    private static SortedDictionary<string, string?> Flatten(IConfiguration configuration)
    {
        var values = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            values[key.ToUpperInvariant()] = value;
        }

        return values;
    }
}
