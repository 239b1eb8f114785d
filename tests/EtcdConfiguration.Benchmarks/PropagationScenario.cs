using System.Diagnostics;
using System.Globalization;
using EtcdConfiguration.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// One write, then the time until the app sees it: the provider's <c>IOptionsMonitor.OnChange</c> (10,000 keys
/// loaded), our client's bare watch and dotnet-etcd's bare watch on prefixes of their own. Writes are sequential
/// and rotate among the three, so each pays the same write path and the same machine state.
/// </summary>
internal static class PropagationScenario
{
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(10);

    public static async Task<(PropagationResult Result, IDisposable Provider)> RunAsync(BenchContext context)
    {
        var settings = context.Settings;
        var data = await context.DataSetAsync("prop", settings.PropagationKeys);
        const string ourPrefix = "/bench/watch-ours/";
        const string peerPrefix = "/bench/watch-peer/";

        var root = new ConfigurationBuilder().AddEtcd(context.Endpoint, data.Prefix).Build();
        var services = new ServiceCollection();
        services.Configure<BenchItemOptions>(root.GetSection(DataSet.ConfigurationPath(0)));
        await using var serviceProvider = services.BuildServiceProvider();
        var monitor = serviceProvider.GetRequiredService<IOptionsMonitor<BenchItemOptions>>();
        var providerProbe = new ArrivalProbe();
        using var subscription = monitor.OnChange((_, _) => providerProbe.Hit());

        using var stop = new CancellationTokenSource();
        using var ourClient = context.NewClient();
        var ourProbe = new ArrivalProbe();
        var ourLoop = Task.Run(() => WatchAsync(ourClient, ourPrefix, ourProbe, stop.Token));

        using var peer = context.NewPeer();
        var peerProbe = new ArrivalProbe();
        var peerWatchId = await peer.WatchRangeAsync(peerPrefix, (Etcdserverpb.WatchResponse response) =>
        {
            if (response.Events.Count > 0)
            {
                peerProbe.Hit();
            }
        });

        var targets = new (ArrivalProbe Probe, string Key, List<double> Samples)[]
        {
            (providerProbe, data.Key(0), []),
            (ourProbe, ourPrefix + "S0000/K00", []),
            (peerProbe, peerPrefix + "S0000/K00", []),
        };
        var staleReads = 0;
        var rounds = settings.WarmupRounds + settings.PropagationWrites;
        for (var round = 0; round < rounds; round++)
        {
            for (var j = 0; j < targets.Length; j++)
            {
                var target = (round + j) % targets.Length;
                var (probe, key, samples) = targets[target];
                var tag = string.Create(CultureInfo.InvariantCulture, $"w{round}");
                var timed = round >= settings.WarmupRounds;
                var latency = await WriteAndWaitAsync(context, probe, key, DataSet.Value(0, tag), retry: !timed);
                if (timed)
                {
                    samples.Add(latency);
                }

                if (target == 0 && monitor.CurrentValue.Name != tag + "-000000")
                {
                    staleReads++;
                }
            }
        }

        peer.CancelWatch(peerWatchId);
        await stop.CancelAsync();
        await ourLoop;

        var result = new PropagationResult(
            data.Count,
            settings.PropagationWrites,
            Summary.Of(targets[0].Samples),
            Summary.Of(targets[1].Samples),
            Summary.Of(targets[2].Samples),
            staleReads,
            targets[0].Samples,
            targets[1].Samples,
            targets[2].Samples);
        BenchContext.Log(string.Create(
            CultureInfo.InvariantCulture,
            $"propagation: provider p50 {result.Provider.Median:0.000} ms p99 {result.Provider.P99:0.000} ms; our watch p50 {result.OurWatch.Median:0.000} p99 {result.OurWatch.P99:0.000}; dotnet-etcd watch p50 {result.PeerWatch.Median:0.000} p99 {result.PeerWatch.P99:0.000}"));
        return (result, (IDisposable)root);
    }

    /// <summary>
    /// Writes, then waits for the watcher to see it; returns the milliseconds from just before the put to the
    /// watcher's notification. A warm-up write may precede the watch's creation, so warm-up retries.
    /// </summary>
    private static async Task<double> WriteAndWaitAsync(BenchContext context, ArrivalProbe probe, string key, string value, bool retry)
    {
        for (var attempt = 1; ; attempt++)
        {
            var arrived = probe.Arm();
            var start = Stopwatch.GetTimestamp();
            await context.Writer.KV.PutAsync(key, value);
            try
            {
                var end = await arrived.WaitAsync(retry ? TimeSpan.FromSeconds(1) : ArrivalTimeout);
                return Meter.Milliseconds(start, end);
            }
            catch (TimeoutException) when (retry && attempt < 20)
            {
                BenchContext.Log($"warm-up: no notification for {key} yet; writing again.");
            }
        }
    }

    private static async Task WatchAsync(EtcdClient client, string prefix, ArrivalProbe probe, CancellationToken stop)
    {
        try
        {
            await foreach (var response in client.Watch.WatchAsync(prefix, new WatchOptions { Prefix = true }, stop))
            {
                if (response.Events.Count > 0)
                {
                    probe.Hit();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The scenario is over.
        }
    }
}
