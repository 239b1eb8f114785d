using EtcdConfiguration.Client;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tests.Support;

/// <summary>What the app sees of a configuration, and what etcd holds under a prefix, to count one against the other.</summary>
internal static class ConfigurationView
{
    /// <summary>The one etcd provider of <paramref name="root"/>.</summary>
    public static EtcdConfigurationProvider Provider(IConfigurationRoot root) =>
        root.Providers.OfType<EtcdConfigurationProvider>().Single();

    /// <summary>Every configuration key that has a value (sections without one left out), in ordinal order.</summary>
    public static SortedDictionary<string, string> Values(IConfiguration configuration)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (value is not null)
            {
                values.Add(key, value);
            }
        }

        return values;
    }

    /// <summary>How many keys etcd holds under <paramref name="prefix"/>, and at which revision.</summary>
    public static async Task<(long Count, long Revision)> EtcdCountAsync(EtcdClient client, string prefix)
    {
        var response = await client.KV.GetAsync(prefix, new GetOptions { Prefix = true, CountOnly = true });
        return (response.Count, response.Header.Revision);
    }
}
