using System.Globalization;
using System.Text.RegularExpressions;
using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Client.Tests.KV;

/// <summary>
/// One single-member etcd and one client shared by the tests of a class; each test works under its own key
/// prefix from <see cref="NewPrefix"/>, so tests never see each other's keys.
/// </summary>
public sealed partial class SingleMemberFixture : IAsyncLifetime
{
    private long? _sharedLease;

    public EtcdCluster Cluster { get; private set; } = null!;

    public EtcdClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 1 });
        // The first call pays for JIT on a loaded machine: a dial timeout for a server that is expected to answer.
        Client = await EtcdClient.ConnectAsync(new EtcdClientOptions
        {
            Endpoints = EtcdClient.SplitEndpoints(Cluster.Endpoints),
            DialTimeout = TimeSpan.FromSeconds(30),
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

    /// <summary>A key prefix no other test uses, such as <c>/Get/3f2a.../</c>.</summary>
    public static string NewPrefix(string area) => $"/{area}/{Guid.NewGuid():N}/";

    /// <summary>A lease (10 minutes) granted through etcdctl, the same one for every test of the class.</summary>
    public async Task<long> SharedLeaseAsync() => _sharedLease ??= await GrantLeaseAsync(600);

    /// <summary>Grants a lease through etcdctl (the client's own Lease API is tested elsewhere).</summary>
    public async Task<long> GrantLeaseAsync(int ttlSeconds)
    {
        var output = await Cluster.EtcdctlAsync("lease", "grant", ttlSeconds.ToString(CultureInfo.InvariantCulture));
        var match = LeaseGranted().Match(output);
        Assert.True(match.Success, $"unexpected etcdctl output: {output}");
        return long.Parse(match.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("lease ([0-9a-f]+) granted")]
    private static partial Regex LeaseGranted();
}
