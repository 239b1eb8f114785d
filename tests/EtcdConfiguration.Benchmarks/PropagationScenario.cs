using System.Diagnostics;
using System.Globalization;
using EtcdConfiguration.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// One write, then the time until the app is told: the provider's reload token (10,000 keys loaded), another
/// provider through <c>IOptionsMonitor.OnChange</c> (10,000 keys loaded, the options rebound on every reload), the
/// same with the options gated by <c>ValidateEtcdChanges()</c> (every write touches the gated section, so each one
/// is bound and validated before it is applied), our client's bare watch and dotnet-etcd's bare watch, each on a
/// prefix of its own. Writes are sequential and rotate among the five, so each pays the same write path and the
/// same machine state.
/// </summary>
internal static class PropagationScenario
{
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(10);

    public static async Task<(PropagationResult Result, IDisposable Provider)> RunAsync(BenchContext context)
    {
        var settings = context.Settings;
        var data = await context.DataSetAsync("prop", settings.PropagationKeys);
        var tokenData = await context.DataSetAsync("prop-token", settings.PropagationKeys);
        const string ourPrefix = "/bench/watch-ours/";
        const string peerPrefix = "/bench/watch-peer/";

        using var tokenRoot = (ConfigurationRoot)new ConfigurationBuilder().AddEtcd(context.Endpoint, tokenData.Prefix).Build();
        var tokenProbe = new ArrivalProbe();
        using var tokenSubscription = ChangeToken.OnChange(tokenRoot.GetReloadToken, tokenProbe.Hit);

        var root = new ConfigurationBuilder().AddEtcd(context.Endpoint, data.Prefix).Build();
        var services = new ServiceCollection();
        services.Configure<BenchItemOptions>(root.GetSection(DataSet.ConfigurationPath(0)));
        await using var serviceProvider = services.BuildServiceProvider();
        var monitor = serviceProvider.GetRequiredService<IOptionsMonitor<BenchItemOptions>>();
        var changeProbe = new ArrivalProbe();
        using var subscription = monitor.OnChange((_, _) => changeProbe.Hit());

        // The gated variant: the same options and data, validated before each change is applied. The gate attaches
        // when the host starts its hosted services; started here by hand, as a host does.
        var gatedData = await context.DataSetAsync("prop-gated", settings.PropagationKeys);
        var gatedRoot = new ConfigurationBuilder().AddEtcd(context.Endpoint, gatedData.Prefix).Build();
        var gatedServices = new ServiceCollection();
        gatedServices.AddSingleton<IConfiguration>(gatedRoot);
        gatedServices.AddOptions<BenchItemOptions>()
            .Bind(gatedRoot.GetSection(DataSet.ConfigurationPath(0)))
            .Validate(o => o.Name is { Length: > 0 }, "Name is required.")
            .ValidateEtcdChanges();
        await using var gatedProvider = gatedServices.BuildServiceProvider();
        var gatedHosted = gatedProvider.GetServices<IHostedService>().ToList();
        foreach (var hosted in gatedHosted)
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        var gatedMonitor = gatedProvider.GetRequiredService<IOptionsMonitor<BenchItemOptions>>();
        var gatedProbe = new ArrivalProbe();
        using var gatedSubscription = gatedMonitor.OnChange((_, _) => gatedProbe.Hit());

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
            (tokenProbe, tokenData.Key(0), []),
            (changeProbe, data.Key(0), []),
            (ourProbe, ourPrefix + "S0000/K00", []),
            (peerProbe, peerPrefix + "S0000/K00", []),
            (gatedProbe, gatedData.Key(0), []),
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

                if ((target == 1 && monitor.CurrentValue.Name != tag + "-000000")
                    || (target == 4 && gatedMonitor.CurrentValue.Name != tag + "-000000"))
                {
                    staleReads++;
                }
            }
        }

        peer.CancelWatch(peerWatchId);
        foreach (var hosted in gatedHosted)
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        ((IDisposable)gatedRoot).Dispose();
        await stop.CancelAsync();
        await ourLoop;

        var result = new PropagationResult(
            data.Count,
            settings.PropagationWrites,
            Summary.Of(targets[0].Samples),
            Summary.Of(targets[1].Samples),
            Summary.Of(targets[2].Samples),
            Summary.Of(targets[3].Samples),
            Summary.Of(targets[4].Samples),
            staleReads,
            targets[0].Samples,
            targets[1].Samples,
            targets[2].Samples,
            targets[3].Samples,
            targets[4].Samples);
        result = result with { Series = PropagationSeries.Cut(result, settings.PropagationSeries) };
        BenchContext.Log(string.Create(
            CultureInfo.InvariantCulture,
            $"propagation p50/p99 ms: reload token {result.ReloadToken.Median:0.000}/{result.ReloadToken.P99:0.000}, OnChange {result.OnChange.Median:0.000}/{result.OnChange.P99:0.000}, gated OnChange {result.GatedOnChange.Median:0.000}/{result.GatedOnChange.P99:0.000}, our watch {result.OurWatch.Median:0.000}/{result.OurWatch.P99:0.000}, dotnet-etcd watch {result.PeerWatch.Median:0.000}/{result.PeerWatch.P99:0.000}; p99 above the floor by series: reload token {string.Join(" ", result.Series.Select(s => s.ReloadTokenGap.ToString("+0.000;-0.000", CultureInfo.InvariantCulture)))}, OnChange {string.Join(" ", result.Series.Select(s => s.OnChangeGap.ToString("+0.000;-0.000", CultureInfo.InvariantCulture)))}"));
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
