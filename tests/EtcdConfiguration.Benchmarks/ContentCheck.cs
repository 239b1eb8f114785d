using System.Text;
using EtcdConfiguration.Client;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Benchmarks;

/// <summary>Checks that a provider holds exactly the expected values, so every variant is measured doing the same work.</summary>
internal static class ContentCheck
{
    /// <summary>The number of expected keys the provider lacks or holds with another value.</summary>
    public static int Differences(IReadOnlyDictionary<string, string?> expected, IConfigurationProvider provider)
    {
        var differences = 0;
        foreach (var (key, value) in expected)
        {
            if (!provider.TryGet(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                differences++;
            }
        }

        return differences;
    }

    public static int Differences(IReadOnlyDictionary<string, string?> expected, IReadOnlyDictionary<string, string?> actual) =>
        expected.Count(pair => !actual.TryGetValue(pair.Key, out var value) || !string.Equals(value, pair.Value, StringComparison.Ordinal))
        + Math.Max(0, actual.Count - expected.Count);

    /// <summary>The single provider of <paramref name="root"/> of type <typeparamref name="T"/>.</summary>
    public static T ProviderOf<T>(IConfigurationRoot root)
        where T : IConfigurationProvider => root.Providers.OfType<T>().Single();

    /// <summary>Reads the data set's prefix from etcd now and counts the keys the provider holds differently.</summary>
    public static async Task<int> DifferencesFromEtcdAsync(EtcdClient client, DataSet data, IConfigurationProvider provider)
    {
        var response = await client.KV.GetAsync(data.Prefix, new GetOptions { Prefix = true });
        var expected = HandFlattener.NewData();
        var prefixLength = Encoding.UTF8.GetByteCount(data.Prefix);
        foreach (var kv in response.Kvs)
        {
            HandFlattener.Add(expected, prefixLength, kv.KeyBytes.Span, kv.ValueBytes);
        }

        return Differences(expected, provider);
    }
}
