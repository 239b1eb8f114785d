using EtcdConfiguration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="EtcdConfigurationHealthCheck"/>.</summary>
public static class EtcdConfigurationHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check reporting on every etcd source of the app's <see cref="IConfiguration"/>: healthy when
    /// all are live, degraded when one is reconnecting, stale (started from its cache file) or skipping bad keys,
    /// and <paramref name="failureStatus"/> when one has no data at all.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">What to report when a source has no data; default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by, such as <c>ready</c>.</param>
    /// <param name="timeout">How long the check may take; it reads state in memory, and waits at most 1 s for etcd's alarm list.</param>
    /// <returns>The builder.</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddHealthChecks().AddEtcdConfiguration();
    /// app.MapHealthChecks("/healthz");
    /// </code>
    /// </example>
    public static IHealthChecksBuilder AddEtcdConfiguration(
        this IHealthChecksBuilder builder,
        string name = "etcd-configuration",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return builder.Add(new HealthCheckRegistration(
            name,
            services => new EtcdConfigurationHealthCheck(services.GetRequiredService<IConfiguration>()),
            failureStatus,
            tags,
            timeout));
    }
}
