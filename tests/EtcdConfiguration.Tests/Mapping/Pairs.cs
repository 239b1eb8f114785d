using System.Text;
using EtcdConfiguration.Mapping;

namespace EtcdConfiguration.Tests;

internal static class Pairs
{
    /// <summary>Decodes with our decoder, asserting success, as an ordinal dictionary.</summary>
    public static Dictionary<string, string?> Decode(EtcdValueFormat format, string path, string value)
    {
        bool ok = ValueDecoder.TryDecode(format, path, Encoding.UTF8.GetBytes(value), out var pairs, out var error);
        Assert.True(ok, error?.Message);
        return ToDictionary(pairs!);
    }

    public static Dictionary<string, string?> ToDictionary(IEnumerable<KeyValuePair<string, string?>> pairs)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            result.Add(key, value);
        }

        return result;
    }

    public static string Show(IReadOnlyDictionary<string, string?> pairs) =>
        string.Join(", ", pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"[{p.Key}]={(p.Value is null ? "null" : "'" + p.Value + "'")}"));

    public static void Equal(IReadOnlyDictionary<string, string?> expected, IReadOnlyDictionary<string, string?> actual) =>
        Assert.Equal(Show(expected), Show(actual));
}
