using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EtcdConfiguration;

/// <summary>
/// Reports whether the configuration from etcd is live, stale or missing, for every
/// <see cref="EtcdConfigurationProvider"/> of the app's configuration. Register it with
/// <c>services.AddHealthChecks().AddEtcdConfiguration()</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>Healthy: every provider loaded from etcd and follows it.</description></item>
/// <item><description>
/// Degraded: a provider is reconnecting to etcd (its data may be behind), is stale (started from its cache file
/// and has not reached etcd yet), skips keys for bad input (the keys are named, never their values), or holds back
/// a change because an options type gated with <c>ValidateEtcdChanges()</c> would not validate (the type, its
/// sections and the validators' messages are given, never a value).
/// </description></item>
/// <item><description>
/// Unhealthy (the registration's failure status): a provider has no data at all, neither from etcd nor from a
/// cache file; or the configuration holds no etcd provider.
/// </description></item>
/// </list>
/// <para>
/// The result's data is flat, so any health response writer prints it: only strings and numbers. With one etcd
/// source the entries are named <c>prefix</c>, <c>state</c>, <c>revision</c>, <c>configurationKeys</c> (configuration
/// keys served, after JSON values are flattened), <c>skippedKeyCount</c>, <c>skippedKeys</c> (etcd keys, comma-separated,
/// the first ten), and when they apply <c>rejectedRevision</c> and <c>validationFailures</c> (the options, members and
/// validators' messages of a change held back by <c>ValidateEtcdChanges()</c>, never a value), <c>watchEndpoint</c>,
/// <c>lastError</c>, <c>lastErrorTime</c>, <c>lastChange</c> and <c>cacheWrittenAt</c> (times in ISO 8601). With several sources each name is qualified by the source's prefix
/// and a colon, such as <c>/myapp/:state</c> (a second source with the same prefix gets <c>/myapp/ (2):state</c>).
/// </para>
/// </remarks>
public sealed class EtcdConfigurationHealthCheck : IHealthCheck
{
    private const int NamedSkippedKeys = 10;

    private readonly Func<IEnumerable<EtcdConfigurationProvider>> _providers;

    /// <summary>Checks the etcd providers of <paramref name="configuration"/>, found afresh on every check.</summary>
    /// <param name="configuration">The app's configuration (an <see cref="IConfigurationRoot"/>, such as a <see cref="ConfigurationManager"/>).</param>
    public EtcdConfigurationHealthCheck(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _providers = () => FindProviders(configuration);
    }

    /// <summary>Checks the given providers.</summary>
    /// <param name="providers">The providers to report on.</param>
    public EtcdConfigurationHealthCheck(IEnumerable<EtcdConfigurationProvider> providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        var list = providers.ToList();
        _providers = () => list;
    }

    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var failureStatus = context.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        var statuses = _providers().Select(p => p.Status).ToList();
        if (statuses.Count == 0)
        {
            return Task.FromResult(new HealthCheckResult(failureStatus, "The app's configuration has no etcd source."));
        }

        var worst = HealthStatus.Healthy;
        var descriptions = new List<string>(statuses.Count);
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var status in statuses)
        {
            var (health, description) = Assess(status, failureStatus);
            worst = (HealthStatus)Math.Min((int)worst, (int)health);
            descriptions.Add(description);
            var qualifier = statuses.Count == 1 ? string.Empty : UniqueName(names, status.Prefix) + ":";
            foreach (var (name, value) in Describe(status))
            {
                data[qualifier + name] = value;
            }
        }

        return Task.FromResult(new HealthCheckResult(worst, string.Join(" ", descriptions), data: data));
    }

    private static (HealthStatus Health, string Description) Assess(EtcdConfigurationStatus status, HealthStatus failureStatus)
    {
        var prefix = status.Prefix;
        var skipped = status.SkippedKeys.Count == 0 ? string.Empty
            : $" {status.SkippedKeys.Count} etcd key(s) skipped for bad input: {string.Join(", ", status.SkippedKeys.Take(NamedSkippedKeys).Select(k => $"'{k}'"))}{(status.SkippedKeys.Count > NamedSkippedKeys ? ", ..." : string.Empty)}.";
        var error = status.LastError is null ? string.Empty : $" Last error: {status.LastError}";
        if (status.RejectedRevision is { } rejected && status.State is EtcdConfigurationState.Live or EtcdConfigurationState.Reconnecting)
        {
            // Degraded, not failed: the app serves the last valid values, which is what the gate is for.
            skipped += $" The change at revision {rejected} is held back because options would not validate: {string.Join(" ", status.ValidationFailures)}";
        }

        return status.State switch
        {
            EtcdConfigurationState.Live when skipped.Length == 0 => (HealthStatus.Healthy, $"'{prefix}' is live at revision {status.Revision} with {status.KeyCount} configuration keys."),
            EtcdConfigurationState.Live => (HealthStatus.Degraded, $"'{prefix}' is live at revision {status.Revision}.{skipped}"),
            EtcdConfigurationState.Reconnecting => (HealthStatus.Degraded, $"'{prefix}' is reconnecting to etcd; serving revision {status.Revision}, which may be behind.{skipped}{error}"),
            EtcdConfigurationState.Stale => (HealthStatus.Degraded, $"'{prefix}' is stale: serving the cache file from revision {status.Revision} until etcd answers.{error}"),
            EtcdConfigurationState.Loading => (failureStatus, $"'{prefix}' has not loaded yet."),
            _ => (failureStatus, $"'{prefix}' has no data: neither etcd nor a cache file could be loaded.{error}"),
        };
    }

    private static Dictionary<string, object> Describe(EtcdConfigurationStatus status)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["prefix"] = status.Prefix,
            ["state"] = status.State.ToString(),
            ["revision"] = status.Revision,
            ["configurationKeys"] = status.KeyCount,
            ["skippedKeyCount"] = status.SkippedKeys.Count,
            ["skippedKeys"] = string.Join(", ", status.SkippedKeys.Take(NamedSkippedKeys)),
        };
        if (status.RejectedRevision is { } rejected)
        {
            data["rejectedRevision"] = rejected;
            data["validationFailures"] = string.Join(" ", status.ValidationFailures);
        }

        if (status.WatchEndpoint is not null)
        {
            data["watchEndpoint"] = status.WatchEndpoint;
        }

        if (status.LastError is not null)
        {
            data["lastError"] = status.LastError;
        }

        if (status.LastErrorTime is { } errorTime)
        {
            data["lastErrorTime"] = errorTime.ToString("O", CultureInfo.InvariantCulture);
        }

        if (status.LastChange is { } change)
        {
            data["lastChange"] = change.ToString("O", CultureInfo.InvariantCulture);
        }

        if (status.CacheWrittenAt is { } written)
        {
            data["cacheWrittenAt"] = written.ToString("O", CultureInfo.InvariantCulture);
        }

        return data;
    }

    private static string UniqueName(HashSet<string> names, string prefix)
    {
        var name = prefix;
        for (var i = 2; !names.Add(name); i++)
        {
            name = $"{prefix} ({i})";
        }

        return name;
    }

    // Also how ValidateEtcdChanges finds the providers to gate: one answer to "which etcd sources does the app have".
    internal static IEnumerable<EtcdConfigurationProvider> FindProviders(IConfiguration configuration)
    {
        if (configuration is not IConfigurationRoot root)
        {
            yield break;
        }

        foreach (var provider in root.Providers)
        {
            if (provider is EtcdConfigurationProvider etcd)
            {
                yield return etcd;
            }
            else if (provider is ChainedConfigurationProvider chained)
            {
                foreach (var inner in FindProviders(chained.Configuration))
                {
                    yield return inner;
                }
            }
        }
    }
}
