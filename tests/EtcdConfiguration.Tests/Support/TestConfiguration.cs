using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EtcdConfiguration.Tests.Support;

/// <summary>
/// One app's configuration with one etcd source, and the health check as an app's container runs it
/// (<c>AddHealthChecks().AddEtcdConfiguration()</c> over the configuration registered as <see cref="IConfiguration"/>).
/// </summary>
internal sealed class TestConfiguration : IDisposable
{
    private readonly Lazy<ServiceProvider> _services;

    private TestConfiguration(IConfigurationRoot root)
    {
        Root = root;
        Provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        _services = new Lazy<ServiceProvider>(() =>
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton<IConfiguration>(Root);
            services.AddHealthChecks().AddEtcdConfiguration();
            return services.BuildServiceProvider();
        });
    }

    public IConfigurationRoot Root { get; }

    public EtcdConfigurationProvider Provider { get; }

    public string? this[string key] => Root[key];

    /// <summary>A prefix no other test uses, so metrics and keys never mix between tests running in parallel.</summary>
    public static string NewPrefix() => $"/resilience-{Guid.NewGuid():N}/";

    public static TestConfiguration Build(string endpoints, string prefix, Action<EtcdConfigurationSource>? configure = null)
    {
        var root = new ConfigurationBuilder()
            .AddEtcd(source =>
            {
                source.Endpoints = endpoints.Split(',');
                source.Prefix = prefix;
                source.StartupTimeout = TestTimeouts.EtcdAnswers;
                configure?.Invoke(source);
            })
            .Build();
        return new TestConfiguration(root);
    }

    public async Task<HealthReportEntry> CheckHealthAsync()
    {
        var report = await _services.Value.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries["etcd-configuration"];
    }

    /// <summary>The health check's data about this provider.</summary>
    public static IReadOnlyDictionary<string, object> ProviderData(HealthReportEntry entry, string prefix) =>
        Assert.IsAssignableFrom<IReadOnlyDictionary<string, object>>(entry.Data[prefix]);

    public void Dispose()
    {
        if (_services.IsValueCreated)
        {
            _services.Value.Dispose();
        }

        ((IDisposable)Root).Dispose();
    }
}
