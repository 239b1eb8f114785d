using System.Globalization;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// Retained memory per etcd key: each configuration is built in a child process of its own (see
/// <see cref="RetainedMemoryProbe"/>) and the managed heap it holds is divided by the number of etcd keys. The
/// provider's figure includes its client, its connection and its running watch; the JSON file provider holds
/// the same content read from a file; the dotnet-etcd figure is the hand-built dictionary alone (client closed).
/// </summary>
internal static class MemoryScenario
{
    public static async Task<List<MemoryRow>> RunAsync(BenchContext context)
    {
        var rows = new List<MemoryRow>();
        foreach (var keys in context.Settings.MemorySizes)
        {
            var data = await context.DataSetAsync(string.Create(CultureInfo.InvariantCulture, $"n{keys}"), keys);
            var etcd = context.Endpoint + "|" + data.Prefix;
            var provider = new List<double>();
            var json = new List<double>();
            var peer = new List<double>();
            for (var repetition = 0; repetition < context.Settings.MemoryRepetitions; repetition++)
            {
                provider.Add(await RetainedMemoryProbe.MeasureAsync(RetainedMemoryProbe.Provider, etcd) / (double)keys);
                json.Add(await RetainedMemoryProbe.MeasureAsync(RetainedMemoryProbe.JsonFile, context.JsonFileOf(data)) / (double)keys);
                peer.Add(await RetainedMemoryProbe.MeasureAsync(RetainedMemoryProbe.Peer, etcd) / (double)keys);
            }

            var row = new MemoryRow(keys, Summary.Of(provider), Summary.Of(json), Summary.Of(peer));
            BenchContext.Log(string.Create(
                CultureInfo.InvariantCulture,
                $"retained per key at {keys:N0}: provider {row.ProviderBytesPerKey.Median:0} B, json file {row.JsonFileBytesPerKey.Median:0} B, dotnet-etcd dictionary {row.PeerDictionaryBytesPerKey.Median:0} B"));
            rows.Add(row);
        }

        return rows;
    }
}
