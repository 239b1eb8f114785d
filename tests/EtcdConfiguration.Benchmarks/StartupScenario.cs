using System.Globalization;
using System.Text;
using EtcdConfiguration.Client;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// <c>AddEtcd(...).Build()</c> against dotnet-etcd doing the same work by hand (ranged get, then the same
/// flattened dictionary), our client's bare ranged get (the floor) and the JSON file provider reading the same
/// content from a file. Every variant starts from nothing: a new client and a new connection each time. Before the
/// first size is timed, every variant runs <see cref="BenchSettings.StartupWarmUpRounds"/> untimed rounds, so each is
/// timed with its code compiled at full optimisation (what a process's first load pays on top is the JIT, for all).
/// </summary>
internal static class StartupScenario
{
    private const string Provider = "provider";
    private const string Peer = "dotnet-etcd by hand";
    private const string Raw = "our client's range";
    private const string Json = "JSON file";

    public static async Task<List<StartupRow>> RunAsync(BenchContext context)
    {
        var rows = new List<StartupRow>();
        foreach (var (keys, repetitions) in context.Settings.StartupSizes)
        {
            var data = await context.DataSetAsync(string.Create(CultureInfo.InvariantCulture, $"n{keys}"), keys);
            var jsonFile = context.JsonFileOf(data);
            var variants = new (string Name, Func<Task<object>> Run)[]
            {
                (Provider, () => Task.FromResult<object>(new ConfigurationBuilder().AddEtcd(context.Endpoint, data.Prefix).Build())),
                (Peer, () => PeerByHandAsync(context, data)),
                (Raw, () => RawRangeAsync(context, data)),
                (Json, () => Task.FromResult<object>(new ConfigurationBuilder().AddJsonFile(jsonFile, optional: false, reloadOnChange: false).Build())),
            };

            var differences = await CheckSameContentAsync(context, data, jsonFile);
            var warmUpRounds = rows.Count == 0 ? context.Settings.StartupWarmUpRounds : 1;
            for (var round = 0; round < warmUpRounds; round++)
            {
                foreach (var (_, run) in variants)
                {
                    Owned.Release((await Meter.MeasureAsync(run)).Result);
                }
            }

            if (rows.Count == 0)
            {
                // Tiered compilation promotes methods in the background, after a quiet 100 ms.
                await Task.Delay(TimeSpan.FromSeconds(1));
            }

            var costs = variants.ToDictionary(v => v.Name, _ => new List<Cost>(), StringComparer.Ordinal);
            for (var repetition = 0; repetition < repetitions; repetition++)
            {
                for (var j = 0; j < variants.Length; j++)
                {
                    var (name, run) = variants[(repetition + j) % variants.Length];
                    var (cost, result) = await Meter.MeasureAsync(run);
                    Owned.Release(result);
                    costs[name].Add(cost);
                }
            }

            var row = new StartupRow(
                keys,
                data.ConfigurationKeys,
                VariantCost.Of(costs[Provider]),
                VariantCost.Of(costs[Peer]),
                VariantCost.Of(costs[Raw]),
                VariantCost.Of(costs[Json]),
                differences);
            BenchContext.Log(string.Create(
                CultureInfo.InvariantCulture,
                $"startup {keys:N0} keys: provider {row.Provider.Milliseconds.Median:0.0} ms, dotnet-etcd {row.Peer.Milliseconds.Median:0.0} ms, range {row.RawRange.Milliseconds.Median:0.0} ms, json {row.JsonFile.Milliseconds.Median:0.0} ms"));
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The code a dotnet-etcd user writes: one ranged get of the prefix, then the flattened dictionary.</summary>
    private static async Task<object> PeerByHandAsync(BenchContext context, DataSet data)
    {
        var peer = context.NewPeer();
        var response = await peer.GetRangeAsync(data.Prefix);
        var prefixLength = Encoding.UTF8.GetByteCount(data.Prefix);
        var result = HandFlattener.NewData();
        foreach (var kv in response.Kvs)
        {
            HandFlattener.Add(result, prefixLength, kv.Key.Span, kv.Value.Memory);
        }

        return new Owned(peer, result);
    }

    private static async Task<object> RawRangeAsync(BenchContext context, DataSet data)
    {
        var client = context.NewClient();
        var response = await client.KV.GetAsync(data.Prefix, new GetOptions { Prefix = true });
        return new Owned(client, response);
    }

    /// <summary>Every variant must hold the same configuration; returns the number of differing keys.</summary>
    private static async Task<int> CheckSameContentAsync(BenchContext context, DataSet data, string jsonFile)
    {
        using var expected = (Owned)await PeerByHandAsync(context, data);
        var values = (Dictionary<string, string?>)expected.Value;
        using var ours = (ConfigurationRoot)new ConfigurationBuilder().AddEtcd(context.Endpoint, data.Prefix, reloadOnChange: false).Build();
        using var json = (ConfigurationRoot)new ConfigurationBuilder().AddJsonFile(jsonFile, optional: false, reloadOnChange: false).Build();
        var differences = ContentCheck.Differences(values, ours.Providers.Single())
            + ContentCheck.Differences(values, json.Providers.Single())
            + Math.Abs(values.Count - data.ConfigurationKeys);
        if (differences != 0)
        {
            BenchContext.Log($"WARNING: the variants disagree on {differences} keys of {data.Prefix}.");
        }

        return differences;
    }
}
