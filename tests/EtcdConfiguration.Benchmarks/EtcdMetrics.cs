using System.Globalization;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// Reads etcd's own Prometheus counter <c>grpc_server_started_total</c> from a member's metrics URL: every RPC
/// the member has started, by method. Counting on the server needs no seam in the client and misses nothing.
/// </summary>
internal static class EtcdMetrics
{
    private const string Counter = "grpc_server_started_total{";

    public static async Task<Dictionary<string, long>> StartedRpcsAsync(string metricsUrl)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var text = await http.GetStringAsync(new Uri(new Uri(metricsUrl), "/metrics"));
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(Counter, StringComparison.Ordinal))
            {
                continue;
            }

            var labelsEnd = line.LastIndexOf('}');
            var method = Label(line[Counter.Length..labelsEnd], "grpc_service") + "/" + Label(line[Counter.Length..labelsEnd], "grpc_method");
            var value = (long)double.Parse(line[(labelsEnd + 1)..].Trim(), CultureInfo.InvariantCulture);
            counts[method] = counts.GetValueOrDefault(method) + value;
        }

        return counts;
    }

    private static string Label(string labels, string name)
    {
        var start = labels.IndexOf(name + "=\"", StringComparison.Ordinal);
        if (start < 0)
        {
            return "?";
        }

        start += name.Length + 2;
        return labels[start..labels.IndexOf('"', start)];
    }
}
