using System.Text;
using System.Text.Json;
using EtcdConfiguration.Testing;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tests.Security;

/// <summary>
/// What etcd holds under a prefix, read with etcdctl (as root when auth is on), turned into the configuration
/// keys the provider must show: the tests below only write plain string values at <c>prefix/A/B</c>, which map
/// to <c>A:B</c>.
/// </summary>
internal sealed class SecuredEtcdContents
{
    private SecuredEtcdContents(Dictionary<string, string> pairs, long lastModRevision)
    {
        Pairs = pairs;
        LastModRevision = lastModRevision;
    }

    /// <summary>Configuration key to value, for every etcd key under the prefix.</summary>
    public IReadOnlyDictionary<string, string> Pairs { get; }

    /// <summary>The highest mod revision among the prefix's keys: the revision a provider following it must reach.</summary>
    public long LastModRevision { get; }

    public static async Task<SecuredEtcdContents> ReadAsync(EtcdCluster cluster, string prefix, params string[] extraFlags)
    {
        using var json = JsonDocument.Parse(await cluster.EtcdctlAsync([.. extraFlags, "get", "--prefix", "-w", "json", "--", prefix]));
        var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        long last = 0;
        if (json.RootElement.TryGetProperty("kvs", out var kvs))
        {
            foreach (var kv in kvs.EnumerateArray())
            {
                var key = Encoding.UTF8.GetString(kv.GetProperty("key").GetBytesFromBase64());
                var value = kv.TryGetProperty("value", out var v) ? Encoding.UTF8.GetString(v.GetBytesFromBase64()) : string.Empty;
                pairs[key[prefix.Length..].Replace('/', ':')] = value;
                last = Math.Max(last, kv.GetProperty("mod_revision").GetInt64());
            }
        }

        return new SecuredEtcdContents(pairs, last);
    }

    /// <summary>Asserts that <paramref name="configuration"/> holds exactly these pairs: every key, every value, nothing else.</summary>
    public void AssertEqual(IConfiguration configuration)
    {
        Assert.Equal(
            Pairs.OrderBy(p => p.Key, StringComparer.Ordinal),
            ConfigurationView.Values(configuration).OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    /// <summary>Whether <paramref name="configuration"/> holds exactly these pairs.</summary>
    public bool Matches(IConfiguration configuration)
    {
        var actual = ConfigurationView.Values(configuration);
        return actual.Count == Pairs.Count && Pairs.All(p => actual.TryGetValue(p.Key, out var value) && value == p.Value);
    }
}
