using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// Retained memory: the managed heap after a full collection, before and after building a configuration that
/// is then held alive, divided by the number of etcd keys. The provider's figure includes its client, its
/// connection and its running watch; the JSON file provider holds the same content read from a file; the
/// dotnet-etcd figure is the hand-built dictionary alone (its client closed).
/// </summary>
internal static class MemoryScenario
{
    public static async Task<List<MemoryRow>> RunAsync(BenchContext context)
    {
        var rows = new List<MemoryRow>();
        foreach (var keys in context.Settings.MemorySizes)
        {
            var data = await context.DataSetAsync(string.Create(CultureInfo.InvariantCulture, $"n{keys}"), keys);
            var jsonFile = context.JsonFileOf(data);
            var provider = new List<double>();
            var json = new List<double>();
            var peer = new List<double>();
            for (var repetition = 0; repetition < context.Settings.MemoryRepetitions; repetition++)
            {
                provider.Add(await RetainedPerKeyAsync(keys, () => Task.FromResult<object>(new ConfigurationBuilder().AddEtcd(context.Endpoint, data.Prefix).Build())));
                json.Add(await RetainedPerKeyAsync(keys, () => Task.FromResult<object>(new ConfigurationBuilder().AddJsonFile(jsonFile, optional: false, reloadOnChange: false).Build())));
                peer.Add(await RetainedPerKeyAsync(keys, () => PeerDictionaryAsync(context, data)));
            }

            var row = new MemoryRow(keys, Summary.Of(provider), Summary.Of(json), Summary.Of(peer));
            BenchContext.Log(string.Create(
                CultureInfo.InvariantCulture,
                $"retained per key at {keys:N0}: provider {row.ProviderBytesPerKey.Median:0} B, json file {row.JsonFileBytesPerKey.Median:0} B, dotnet-etcd dictionary {row.PeerDictionaryBytesPerKey.Median:0} B"));
            rows.Add(row);
        }

        return rows;
    }

    private static async Task<double> RetainedPerKeyAsync(int keys, Func<Task<object>> build)
    {
        Meter.Settle();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var built = await build();
        // Let background start-up (the provider's watch) finish, so its steady state is what is counted.
        await Task.Delay(200);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(built);
        Owned.Release(built);
        return (after - before) / (double)keys;
    }

    private static async Task<object> PeerDictionaryAsync(BenchContext context, DataSet data)
    {
        using var peer = context.NewPeer();
        var response = await peer.GetRangeAsync(data.Prefix);
        var prefixLength = Encoding.UTF8.GetByteCount(data.Prefix);
        var result = HandFlattener.NewData();
        foreach (var kv in response.Kvs)
        {
            HandFlattener.Add(result, prefixLength, kv.Key.Span, kv.Value.Memory);
        }

        return result;
    }
}
