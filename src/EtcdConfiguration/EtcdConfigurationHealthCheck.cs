using System.Globalization;
using EtcdConfiguration.Client;
using EtcdConfiguration.Monitoring;
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
/// etcd's own alarms count too: while etcd reports an active alarm (NOSPACE: the database reached its quota and etcd
/// refuses writes; CORRUPT), the check is at least Degraded and names each alarm and the member that raised it. A
/// provider that is worse off keeps its status, and the description gives its reason first, then the alarm. The
/// alarms are asked of etcd through the provider's own client (Maintenance AlarmList), at most once per client every
/// 10 seconds, however often the check runs; a check waits at most 1 second for the answer (the question itself is
/// bounded by 5 seconds) and otherwise reports with the last answer. When etcd cannot be asked, the description and
/// the <c>alarmCheckError</c> entry say so and the status is what the providers' own state makes it: a provider that
/// follows etcd stays Healthy.
/// </para>
/// <para>
/// The result's data is flat, so any health response writer prints it: only strings and numbers. With one etcd
/// source the entries are named <c>prefix</c>, <c>state</c>, <c>revision</c>, <c>configurationKeys</c> (configuration
/// keys served, after JSON values are flattened), <c>skippedKeyCount</c>, <c>skippedKeys</c> (etcd keys, comma-separated,
/// the first ten), and when they apply <c>rejectedRevision</c> and <c>validationFailures</c> (the options, members and
/// validators' messages of a change held back by <c>ValidateEtcdChanges()</c>, never a value), <c>watchEndpoint</c>,
/// <c>lastError</c>, <c>lastErrorTime</c>, <c>lastChange</c> and <c>cacheWrittenAt</c> (times in ISO 8601); once etcd
/// has been asked, <c>alarms</c> (each active alarm with its member, semicolon-separated; empty when there is none) and
/// <c>alarmsReadAt</c>, or <c>alarmCheckError</c> when the question failed. With several sources each name is qualified by the source's prefix
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
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var failureStatus = context.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        // Each provider's client read once: a provider disposed meanwhile must not change its answer halfway.
        var providers = _providers().Select(p => (Provider: p, Client: p.ConnectedClient)).ToList();
        if (providers.Count == 0)
        {
            return new HealthCheckResult(failureStatus, "The app's configuration has no etcd source.");
        }

        var alarms = await ReadAlarmsAsync(providers.Select(p => p.Client).OfType<EtcdClient>().Distinct().ToList(), cancellationToken).ConfigureAwait(false);
        var worst = HealthStatus.Healthy;
        var descriptions = new List<string>(providers.Count + alarms.Count);
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (provider, client) in providers)
        {
            var status = provider.Status;
            var (health, description) = Assess(status, failureStatus);
            var reading = client is null ? null : alarms.GetValueOrDefault(client);
            if (reading?.Alarms.Count > 0)
            {
                // At least Degraded: etcd refuses writes (NOSPACE) or distrusts its data (CORRUPT), though reads go on.
                health = (HealthStatus)Math.Min((int)health, (int)HealthStatus.Degraded);
            }

            worst = (HealthStatus)Math.Min((int)worst, (int)health);
            descriptions.Add(description);
            var qualifier = providers.Count == 1 ? string.Empty : UniqueName(names, status.Prefix) + ":";
            foreach (var (name, value) in Describe(status, reading))
            {
                data[qualifier + name] = value;
            }
        }

        // After every provider's own reason, so that an Unhealthy or Degraded reason is read first; once per client.
        descriptions.AddRange(alarms.Select(pair => DescribeAlarms(pair.Value, providers.First(p => p.Client == pair.Key).Provider.Source.Endpoints)));
        return new HealthCheckResult(worst, string.Join(" ", descriptions.Where(d => d.Length > 0)), data: data);
    }

    /// <summary>Asks each of <paramref name="clients"/> once for etcd's alarms (answers are shared and reused; see <see cref="AlarmProbe"/>).</summary>
    private static async Task<Dictionary<EtcdClient, AlarmReading>> ReadAlarmsAsync(List<EtcdClient> clients, CancellationToken cancellationToken)
    {
        var readings = await Task.WhenAll(clients.Select(c => AlarmProbe.For(c).ReadAsync(cancellationToken))).ConfigureAwait(false);
        return clients.Zip(readings).ToDictionary(pair => pair.First, pair => pair.Second);
    }

    private static string DescribeAlarms(AlarmReading reading, IEnumerable<string> endpoints)
    {
        if (reading.Failure is { } failure)
        {
            return $"Alarms of etcd at {string.Join(", ", endpoints)}: {failure}";
        }

        return reading.Alarms.Count == 0 ? string.Empty
            : $"etcd at {string.Join(", ", endpoints)} reports {(reading.Alarms.Count == 1 ? "an active alarm" : $"{reading.Alarms.Count} active alarms")}: {string.Join("; ", reading.Alarms)}."
                + (reading.Alarms.Any(a => a.StartsWith("NOSPACE", StringComparison.Ordinal))
                    ? " etcd refuses writes until the space is freed (compact, defragment) and the alarm is disarmed."
                    : string.Empty);
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

    private static Dictionary<string, object> Describe(EtcdConfigurationStatus status, AlarmReading? alarms)
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

        if (alarms?.Failure is { } failure)
        {
            data["alarmCheckError"] = failure;
        }
        else if (alarms is not null)
        {
            data["alarms"] = string.Join("; ", alarms.Alarms);
            data["alarmsReadAt"] = alarms.ReadAt.ToString("O", CultureInfo.InvariantCulture);
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
