using System.Diagnostics;
using System.Globalization;
using EtcdConfiguration.Client;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// The provider's cost of one changed key, by the number of keys loaded. Real watch responses (one put each,
/// collected from our client's watch) are handed to the provider's batch applier, the seam its watch loop
/// calls, on this thread, so the applying thread's time, CPU and allocations are measured without the network.
/// The sizes take turns, one batch each.
/// </summary>
internal static class ChangeCostScenario
{
    public static async Task<List<ChangeCostRow>> RunAsync(BenchContext context)
    {
        var settings = context.Settings;
        var total = settings.WarmupRounds + settings.ChangeCostRepetitions;
        var subjects = new List<(int Keys, IConfigurationRoot Root, EtcdConfigurationProvider Provider, List<WatchResponse> Responses, DataSet Data)>();
        try
        {
            foreach (var keys in settings.ChangeCostSizes)
            {
                var data = await context.DataSetAsync(string.Create(CultureInfo.InvariantCulture, $"n{keys}"), keys);
                var source = new EtcdConfigurationSource { Endpoints = [context.Endpoint], Prefix = data.Prefix, ReloadOnChange = false };
                var root = new ConfigurationBuilder().Add(source).Build();
                var provider = ContentCheck.ProviderOf<EtcdConfigurationProvider>(root);
                subjects.Add((keys, root, provider, await CollectChangesAsync(context, data, provider.Revision, total), data));
            }

            var samples = subjects.Select(_ => (Wall: new List<double>(), Cpu: new List<double>(), Bytes: new List<double>())).ToArray();
            Meter.Settle();
            for (var round = 0; round < total; round++)
            {
                for (var j = 0; j < subjects.Count; j++)
                {
                    var index = (round + j) % subjects.Count;
                    var (_, _, provider, responses, _) = subjects[index];
                    WatchResponse[] batch = [responses[round]];
                    var allocated = GC.GetAllocatedBytesForCurrentThread();
                    var cpu = ThreadCpu.Nanoseconds();
                    var start = Stopwatch.GetTimestamp();
                    provider.Applier.ApplyBatch(batch);
                    var end = Stopwatch.GetTimestamp();
                    var cpuEnd = ThreadCpu.Nanoseconds();
                    var allocatedEnd = GC.GetAllocatedBytesForCurrentThread();
                    if (round >= settings.WarmupRounds)
                    {
                        samples[index].Wall.Add(Meter.Milliseconds(start, end) * 1000);
                        samples[index].Cpu.Add((cpuEnd - cpu) / 1000.0);
                        samples[index].Bytes.Add(allocatedEnd - allocated);
                    }
                }
            }

            var rows = new List<ChangeCostRow>();
            for (var index = 0; index < subjects.Count; index++)
            {
                var (keys, _, provider, _, data) = subjects[index];
                var row = new ChangeCostRow(
                    keys,
                    Summary.Of(samples[index].Wall),
                    Summary.Of(samples[index].Cpu),
                    Summary.Of(samples[index].Bytes),
                    await ContentCheck.DifferencesFromEtcdAsync(context.Writer, data, provider));
                BenchContext.Log(string.Create(
                    CultureInfo.InvariantCulture,
                    $"one changed key with {keys:N0} loaded: {row.Microseconds.Median:0.0} us, cpu {row.CpuMicroseconds.Median:0.0} us, {row.AllocatedBytes.Median:N0} bytes"));
                rows.Add(row);
            }

            return rows;
        }
        finally
        {
            foreach (var subject in subjects)
            {
                ((IDisposable)subject.Root).Dispose();
            }
        }
    }

    /// <summary>Puts <paramref name="count"/> changes, one key each, and returns the watch response of each.</summary>
    private static async Task<List<WatchResponse>> CollectChangesAsync(BenchContext context, DataSet data, long revision, int count)
    {
        using var client = context.NewClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var options = new WatchOptions { Prefix = true, StartRevision = revision + 1 };
        await using var watch = client.Watch.WatchAsync(data.Prefix, options, timeout.Token).GetAsyncEnumerator(timeout.Token);
        var responses = new List<WatchResponse>(count);
        for (var k = 0; k < count; k++)
        {
            // A stride through the keys: every change hits another key, spread over the whole prefix.
            var i = (int)((k * 7919L) % data.Count);
            await context.Writer.KV.PutAsync(data.Key(i), DataSet.Value(i, string.Create(CultureInfo.InvariantCulture, $"c{k}")));
            do
            {
                if (!await watch.MoveNextAsync())
                {
                    throw new InvalidOperationException($"The watch on {data.Prefix} ended.");
                }
            }
            while (watch.Current.Events.Count == 0);
            responses.Add(watch.Current);
        }

        return responses;
    }
}
