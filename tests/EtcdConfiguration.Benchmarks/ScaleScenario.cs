using System.Diagnostics;
using System.Globalization;
using EtcdConfiguration.Client;
using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// Many independent app instances on a 3-member cluster: for each variant (the provider, and the floor of a
/// dotnet-etcd client holding one bare watch), the instances live in a few child processes, each with its own
/// client, connection and watch stream. One write at a time, the variants alternating: the time until every instance
/// has it, each instance's own arrival, etcd's CPU and memory, and the clients' memory per instance.
/// </summary>
internal static class ScaleScenario
{
    public const string Provider = "provider";
    public const string Floor = "floor";

    /// <summary>The configuration key every write changes (etcd key <c>prefix + ProbeKey</c>).</summary>
    public const string ProbeKey = "Item00";

    /// <summary>Writes tried until every watch is up, each waited for <see cref="FirstArrivalTimeout"/>.</summary>
    private const int MaxWatchAttempts = 30;

    private static readonly TimeSpan FirstArrivalTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    public static async Task<ScaleResult> RunAsync(BenchSettings settings)
    {
        var loadBefore = MachineInfo.LoadAverage();
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 3 });
        var members = cluster.ClientUrls;
        var etcd = cluster.Members.Select(m => m.ProcessId ?? throw new InvalidOperationException($"etcd member {m.Name} is not running.")).ToArray();
        using var writer = new EtcdClient(cluster.Endpoints);
        var floor = new Variant(Floor, "/scale/floor/");
        var provider = new Variant(Provider, "/scale/provider/");
        Variant[] variants = [floor, provider];
        foreach (var variant in variants)
        {
            for (var key = 0; key < settings.ScaleKeys; key++)
            {
                await writer.KV.PutAsync(variant.Prefix + string.Create(CultureInfo.InvariantCulture, $"Item{key:00}"), "seed-value-of-a-small-configuration-key");
            }
        }

        var rounds = MaxWatchAttempts + settings.ScaleWarmupRounds + settings.ScaleWrites;
        var etcdBaseline = ProcessStats.ResidentBytes(etcd);
        BenchContext.Log(string.Create(CultureInfo.InvariantCulture, $"scale: 3 members at {cluster.Endpoints}; {settings.ScaleInstances:N0} instances per variant in {settings.ScaleProcesses} processes; etcd RSS {etcdBaseline / 1048576.0:0} MiB"));
        try
        {
            // One variant after the other, so etcd's memory growth can be told apart.
            foreach (var variant in variants)
            {
                await variant.StartAsync(settings, members, rounds, etcd);
                BenchContext.Log(string.Create(CultureInfo.InvariantCulture, $"scale: {settings.ScaleInstances:N0} {variant.Name} instances up in {variant.StartSeconds:0.0} s; etcd RSS +{variant.EtcdRssBytes / 1048576.0:0.0} MiB"));
            }

            foreach (var variant in variants)
            {
                await WarmUpAsync(writer, variant, settings.ScaleWarmupRounds);
            }

            for (var write = 0; write < settings.ScaleWrites; write++)
            {
                foreach (var variant in write % 2 == 0 ? variants : variants.Reverse())
                {
                    await TimedWriteAsync(writer, variant, etcd);
                }
            }

            foreach (var variant in variants)
            {
                await variant.MeasureMemoryAsync();
            }
        }
        finally
        {
            foreach (var variant in variants)
            {
                await variant.DisposeAsync();
            }
        }

        var result = new ScaleResult(
            settings.ScaleInstances,
            settings.ScaleProcesses,
            settings.ScaleKeys,
            settings.ScaleWrites,
            provider.Result(settings.ScaleInstances, settings.ScaleWrites),
            floor.Result(settings.ScaleInstances, settings.ScaleWrites),
            etcdBaseline,
            loadBefore,
            MachineInfo.LoadAverage());
        foreach (var (name, v) in new[] { ("provider", result.Provider), ("floor", result.Floor) })
        {
            BenchContext.Log(string.Create(
                CultureInfo.InvariantCulture,
                $"scale {name}: all applied p50 {v.AllApplied.Median:0.00} p99 {v.AllApplied.P99:0.00} ms; arrival p50 {v.Arrival.Median:0.00} p99 {v.Arrival.P99:0.00} ms; etcd CPU {v.EtcdCpuMillisecondsPerWrite:0.0} ms/write, clients {v.ClientCpuMillisecondsPerWrite:0.0} ms/write; heap {v.ClientHeapBytesPerInstance / 1024:0.0} KiB, RSS {v.ClientRssBytesPerInstance / 1024:0.0} KiB (whole process {v.ClientTotalRssBytesPerInstance / 1024:0.0} KiB), etcd RSS {v.EtcdRssBytesPerInstance / 1024:0.0} KiB per instance; missed {v.Missed}"));
        }

        BenchContext.Log($"scale: load average before {result.LoadBefore}, after {result.LoadAfter}");
        return result;
    }

    /// <summary>Writes until every instance has seen one write (every watch is up), then a few more untimed.</summary>
    private static async Task WarmUpAsync(EtcdClient writer, Variant variant, int extraRounds)
    {
        for (var attempt = 1; await WriteAsync(writer, variant, FirstArrivalTimeout) is null; attempt++)
        {
            if (attempt == MaxWatchAttempts)
            {
                throw new TimeoutException($"Not every {variant.Name} instance saw a write after {MaxWatchAttempts} tries.");
            }
        }

        for (var round = 0; round < extraRounds; round++)
        {
            _ = await WriteAsync(writer, variant, ArrivalTimeout) ?? throw new TimeoutException($"A warm-up write did not reach every {variant.Name} instance within {ArrivalTimeout.TotalSeconds} s.");
        }
    }

    private static async Task TimedWriteAsync(EtcdClient writer, Variant variant, int[] etcd)
    {
        var etcdCpu = ProcessStats.CpuMilliseconds(etcd);
        var clientCpu = ProcessStats.CpuMilliseconds(variant.ChildIds);
        var (start, arrivals) = await WriteAsync(writer, variant, ArrivalTimeout)
            ?? throw new TimeoutException($"A write did not reach every {variant.Name} instance within {ArrivalTimeout.TotalSeconds} s.");
        variant.EtcdCpuMilliseconds += ProcessStats.CpuMilliseconds(etcd) - etcdCpu;
        variant.ClientCpuMilliseconds += ProcessStats.CpuMilliseconds(variant.ChildIds) - clientCpu;
        var last = long.MinValue;
        foreach (var at in arrivals)
        {
            if (at == ScaleArrivals.Missed)
            {
                variant.Missed++;
                continue;
            }

            variant.Arrival.Add(Meter.Milliseconds(start, at));
            last = Math.Max(last, at);
        }

        variant.AllApplied.Add(Meter.Milliseconds(start, last));
    }

    /// <summary>One put of the next round's value; every instance's arrival, or null if not all had it in time.</summary>
    private static async Task<(long Start, IEnumerable<long> Arrivals)?> WriteAsync(EtcdClient writer, Variant variant, TimeSpan timeout)
    {
        var round = variant.NextRound++;
        var reports = variant.Children.Select(child => child.RoundAsync(round)).ToArray();
        var start = Stopwatch.GetTimestamp();
        await writer.KV.PutAsync(variant.Prefix + ProbeKey, ScaleArrivals.ValueOf(round));
        try
        {
            var arrivals = await Task.WhenAll(reports).WaitAsync(timeout);
            return (start, arrivals.SelectMany(a => a));
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>One variant's children and what was measured of them.</summary>
    private sealed class Variant(string name, string prefix) : IAsyncDisposable
    {
        public string Name { get; } = name;

        public string Prefix { get; } = prefix;

        public List<ScaleChildProcess> Children { get; } = [];

        public int[] ChildIds => Children.Select(c => c.ProcessId).ToArray();

        public int NextRound { get; set; }

        public List<double> AllApplied { get; } = [];

        public List<double> Arrival { get; } = [];

        public double EtcdCpuMilliseconds { get; set; }

        public double ClientCpuMilliseconds { get; set; }

        public int Missed { get; set; }

        public double StartSeconds { get; private set; }

        public long EtcdRssBytes { get; private set; }

        public double HeapBytesPerInstance { get; private set; }

        public double RssBytesPerInstance { get; private set; }

        public double TotalRssBytesPerInstance { get; private set; }

        public async Task StartAsync(BenchSettings settings, IReadOnlyList<string> members, int rounds, int[] etcd)
        {
            var rssBefore = ProcessStats.ResidentBytes(etcd);
            var started = Stopwatch.GetTimestamp();
            var perChild = settings.ScaleInstances / settings.ScaleProcesses;
            for (var child = 0; child < settings.ScaleProcesses; child++)
            {
                var count = child == settings.ScaleProcesses - 1 ? settings.ScaleInstances - (perChild * child) : perChild;
                Children.Add(ScaleChildProcess.Start(Name, members, Prefix, perChild * child, count, rounds));
            }

            await Task.WhenAll(Children.Select(c => c.Ready)).WaitAsync(StartTimeout);
            StartSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            EtcdRssBytes = ProcessStats.ResidentBytes(etcd) - rssBefore;
        }

        public async Task MeasureMemoryAsync()
        {
            var measured = await Task.WhenAll(Children.Select(c => c.MeasureMemoryAsync()));
            HeapBytesPerInstance = measured.Average(m => (double)m.Heap);
            RssBytesPerInstance = measured.Average(m => (double)m.Rss);
            TotalRssBytesPerInstance = measured.Average(m => (double)m.TotalRss);
        }

        public ScaleVariantResult Result(int instances, int writes) => new(
            Summary.Of(AllApplied),
            Summary.Of(Arrival),
            StartSeconds,
            EtcdCpuMilliseconds / writes,
            ClientCpuMilliseconds / writes,
            (double)EtcdRssBytes / instances,
            HeapBytesPerInstance,
            RssBytesPerInstance,
            TotalRssBytesPerInstance,
            Missed);

        public async ValueTask DisposeAsync()
        {
            foreach (var child in Children)
            {
                await child.DisposeAsync();
            }
        }
    }
}
