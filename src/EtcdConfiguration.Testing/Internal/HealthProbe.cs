using System.Text.Json;

namespace EtcdConfiguration.Testing.Internal;

/// <summary>GET /health on a member's plain-http metrics URL: {"health":"true"} once it has a leader.</summary>
internal static class HealthProbe
{
    private static readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };

    /// <summary>Null when healthy, otherwise why not.</summary>
    public static async Task<string?> CheckAsync(string metricsUrl, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(metricsUrl + "/health"), cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("health", out var health) && health.GetString() == "true"
                ? null
                : $"/health answered {(int)response.StatusCode}: {body}";
        }
        catch (HttpRequestException exception)
        {
            return $"/health failed: {exception.Message}";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "/health did not answer within 2 s";
        }
        catch (JsonException exception)
        {
            return $"/health answered something that is not JSON: {exception.Message}";
        }
    }

    /// <summary>
    /// Whether the member believes it is the leader (metric <c>etcd_server_is_leader</c>), or null when the metrics
    /// do not answer.
    /// </summary>
    public static async Task<bool?> IsLeaderAsync(string metricsUrl, CancellationToken cancellationToken)
    {
        const string Metric = "etcd_server_is_leader ";
        try
        {
            var metrics = await _http.GetStringAsync(new Uri(metricsUrl + "/metrics"), cancellationToken);
            foreach (var line in metrics.AsSpan().EnumerateLines())
            {
                if (line.StartsWith(Metric, StringComparison.Ordinal))
                {
                    return line[Metric.Length..].Trim() is "1";
                }
            }

            return null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
