using EtcdConfiguration.Client;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tests.Support;

/// <summary>What etcd holds under a writer's <c>k/</c> keys and what the app's configuration shows for them.</summary>
internal static class PrefixState
{
    /// <summary>etcd's keys under <c>{prefix}k/</c> by their last segment, with their values, and etcd's revision then.</summary>
    public static async Task<(SortedDictionary<string, string> Keys, long Revision)> InEtcdAsync(EtcdClient client, string prefix)
    {
        var response = await client.KV.GetAsync(prefix + "k/", new GetOptions { Prefix = true });
        var keys = new SortedDictionary<string, string>(
            response.Kvs.ToDictionary(kv => kv.Key[(prefix.Length + 2)..], kv => kv.Value),
            StringComparer.Ordinal);
        return (keys, response.Header.Revision);
    }

    /// <summary>The configuration's children of section <c>k</c>, with their values.</summary>
    public static SortedDictionary<string, string> InConfiguration(IConfiguration configuration) =>
        new(
            configuration.GetSection("k").GetChildren().ToDictionary(c => c.Key, c => c.Value ?? "<null>"),
            StringComparer.Ordinal);

    /// <summary>How many keys differ (missing, extra, or with another value): the lost updates.</summary>
    public static int Differences(IReadOnlyDictionary<string, string> etcd, IReadOnlyDictionary<string, string> app) =>
        etcd.Count(e => !app.TryGetValue(e.Key, out var v) || v != e.Value) + app.Keys.Count(k => !etcd.ContainsKey(k));
}
