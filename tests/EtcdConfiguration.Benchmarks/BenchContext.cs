using System.Diagnostics;
using System.Globalization;
using EtcdConfiguration.Client;
using EtcdConfiguration.Testing;
using Grpc.Core;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// One run's shared pieces: the etcd member (started by the test-support library on loopback), the writer
/// client every scenario writes through, the seeded data sets and a scratch directory for the JSON files.
/// </summary>
internal sealed class BenchContext : IAsyncDisposable
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();
    private readonly Dictionary<string, DataSet> _dataSets = new(StringComparer.Ordinal);

    private BenchContext(BenchSettings settings, EtcdCluster cluster, string workDirectory)
    {
        Settings = settings;
        Cluster = cluster;
        WorkDirectory = workDirectory;
        Writer = NewClient();
    }

    public BenchSettings Settings { get; }

    public EtcdCluster Cluster { get; }

    public string Endpoint => Cluster.ClientUrls[0];

    public string MetricsUrl => Cluster.Members[0].MetricsUrl;

    /// <summary>The one client every scenario writes through (ours), so the write path is the same for every variant.</summary>
    public EtcdClient Writer { get; private set; }

    public string WorkDirectory { get; }

    public static async Task<BenchContext> StartAsync(BenchSettings settings)
    {
        var cluster = await EtcdCluster.StartAsync();
        var work = Directory.CreateTempSubdirectory("etcd-bench-").FullName;
        return new BenchContext(settings, cluster, work);
    }

    public static void Log(string message) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{Clock.Elapsed.TotalSeconds,7:0.0}s] {message}"));

    public EtcdClient NewClient() => new(Endpoint);

    /// <summary>A dotnet-etcd client as its README sets one up for plain http, with no limit on the response size.</summary>
    public dotnet_etcd.EtcdClient NewPeer() => new(Endpoint, configureChannelOptions: options =>
    {
        options.Credentials = ChannelCredentials.Insecure;
        options.MaxReceiveMessageSize = null;
    });

    /// <summary>Seeds <paramref name="count"/> keys under <c>/bench/<paramref name="name"/>/</c> (once) and writes their JSON file.</summary>
    public async Task<DataSet> DataSetAsync(string name, int count)
    {
        if (_dataSets.TryGetValue(name, out var existing))
        {
            return existing;
        }

        var data = new DataSet($"/bench/{name}/", count);
        var start = Stopwatch.GetTimestamp();
        using (var peer = NewPeer())
        {
            await data.SeedAsync(peer);
        }

        data.WriteJsonFile(JsonFileOf(data));
        Log(string.Create(CultureInfo.InvariantCulture, $"seeded {count:N0} keys under {data.Prefix} in {Stopwatch.GetElapsedTime(start).TotalSeconds:0.0} s"));
        _dataSets.Add(name, data);
        return data;
    }

    public string JsonFileOf(DataSet data) =>
        Path.Combine(WorkDirectory, data.Prefix.Trim('/').Replace('/', '-') + ".json");

    /// <summary>Closes the writer, so that an idle measurement sees only the providers' connections.</summary>
    public void CloseWriter() => Writer.Dispose();

    public void ReopenWriter() => Writer = NewClient();

    public async ValueTask DisposeAsync()
    {
        Writer.Dispose();
        await Cluster.DisposeAsync();
        Directory.Delete(WorkDirectory, recursive: true);
    }
}
