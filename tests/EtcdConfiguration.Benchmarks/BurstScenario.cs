using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using EtcdConfiguration.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// A burst of writes, as fast as one client sends them (<see cref="BenchSettings.BurstConcurrency"/> puts in
/// flight), every one changing a loaded key. Measures when the provider reaches etcd's final revision after the
/// last acknowledgement, counts its reloads, and checks that it then holds exactly what etcd holds.
/// </summary>
internal static class BurstScenario
{
    private static readonly TimeSpan ConvergeTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long to keep counting reloads after convergence: a late extra reload would show here.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    public static async Task<BurstResult> RunAsync(BenchContext context)
    {
        var settings = context.Settings;
        var data = await context.DataSetAsync("burst", settings.BurstKeys);
        using var root = (ConfigurationRoot)new ConfigurationBuilder().AddEtcd(context.Endpoint, data.Prefix).Build();
        var provider = ContentCheck.ProviderOf<EtcdConfigurationProvider>(root);
        var reloads = new ConcurrentQueue<(long Timestamp, long Revision)>();
        using var subscription = ChangeToken.OnChange(provider.GetReloadToken, () => reloads.Enqueue((Stopwatch.GetTimestamp(), provider.Revision)));

        var converge = new List<double>();
        var reloadCounts = new List<double>();
        var send = new List<double>();
        var exact = 0;
        for (var burst = -1; burst < settings.BurstRepetitions; burst++)
        {
            reloads.Clear();
            var tag = string.Create(CultureInfo.InvariantCulture, $"b{burst + 1}");
            long finalRevision = 0;
            var start = Stopwatch.GetTimestamp();
            await Parallel.ForEachAsync(
                Enumerable.Range(0, settings.BurstWrites),
                new ParallelOptions { MaxDegreeOfParallelism = settings.BurstConcurrency },
                async (w, cancellationToken) =>
                {
                    var i = w % data.Count;
                    var response = await context.Writer.KV.PutAsync(data.Key(i), DataSet.Value(i, tag), cancellationToken: cancellationToken);
                    InterlockedMax(ref finalRevision, response.Header.Revision);
                });
            var lastAck = Stopwatch.GetTimestamp();

            var reached = await WaitForRevisionAsync(reloads, finalRevision);
            await Task.Delay(Quiet);
            var differences = await ContentCheck.DifferencesFromEtcdAsync(context.Writer, data, provider);
            if (burst < 0)
            {
                continue; // warm-up
            }

            converge.Add(Meter.Milliseconds(lastAck, reached));
            reloadCounts.Add(reloads.Count);
            send.Add(Meter.Milliseconds(start, lastAck));
            if (differences == 0 && provider.Revision == finalRevision)
            {
                exact++;
            }

            BenchContext.Log(string.Create(
                CultureInfo.InvariantCulture,
                $"burst {burst + 1}: {settings.BurstWrites:N0} writes in {send[^1]:0} ms; final revision {converge[^1]:0.0} ms after the last ack; {reloads.Count} reloads; {differences} keys differ from etcd"));
        }

        return new BurstResult(
            data.Count,
            settings.BurstWrites,
            settings.BurstConcurrency,
            Summary.Of(converge),
            Summary.Of(reloadCounts),
            Summary.Of(send),
            settings.BurstRepetitions,
            exact);
    }

    private static async Task<long> WaitForRevisionAsync(ConcurrentQueue<(long Timestamp, long Revision)> reloads, long revision)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(ConvergeTimeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            foreach (var (timestamp, reached) in reloads)
            {
                if (reached >= revision)
                {
                    return timestamp;
                }
            }

            await Task.Delay(1);
        }

        throw new TimeoutException($"The provider did not reach revision {revision} within {ConvergeTimeout.TotalSeconds} s.");
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
