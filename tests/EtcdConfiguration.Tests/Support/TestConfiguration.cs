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
    /// <summary>One source's entries of a health result, by their plain names (the data is flat; with several sources each name is qualified by the prefix).</summary>
    public static IReadOnlyDictionary<string, object> ProviderData(HealthReportEntry entry, string prefix) =>
        ProviderData(entry.Data, prefix);

    public static IReadOnlyDictionary<string, object> ProviderData(IReadOnlyDictionary<string, object> data, string prefix)
    {
        Assert.All(data.Values, v => Assert.True(v is string or int or long, $"a health data entry is {v.GetType()}, not a string or a number"));
        if (data.TryGetValue("prefix", out var only))
        {
            Assert.Equal(prefix, only);
            return data;
        }

        var qualifier = prefix + ":";
        var entries = data.Where(e => e.Key.StartsWith(qualifier, StringComparison.Ordinal))
            .ToDictionary(e => e.Key[qualifier.Length..], e => e.Value, StringComparer.Ordinal);
        Assert.NotEmpty(entries);
        return entries;
    }

    public void Dispose()
    {
        if (_services.IsValueCreated)
        {
            _services.Value.Dispose();
        }

        ((IDisposable)Root).Dispose();
    }
}
