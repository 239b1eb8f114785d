using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Tests.Validation;

/// <summary>
/// An app as a host runs it: one etcd source on the fixture's cluster, the test's options registrations, the
/// health check, and a started host (which is when <c>ValidateEtcdChanges()</c> takes effect).
/// </summary>
internal sealed class GatedApp : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly ConfigurationManager _configuration;

    private GatedApp(IHost host, ConfigurationManager configuration, FakeLogCollector logs)
    {
        _host = host;
        _configuration = configuration;
        Logs = logs;
        Provider = ((IConfigurationRoot)configuration).Providers.OfType<EtcdConfigurationProvider>().Single();
    }

    public IServiceProvider Services => _host.Services;

    public IConfigurationRoot Configuration => _configuration;

    public EtcdConfigurationProvider Provider { get; }

    public FakeLogCollector Logs { get; }

    public static async Task<GatedApp> StartAsync(ProviderClusterFixture fixture, string prefix, Action<IServiceCollection, IConfiguration> register)
    {
        var logs = new FakeLogCollector();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs));
        builder.Configuration.AddEtcd(source => fixture.Configure(source, prefix, s => s.LoggerFactory = logs.CreateFactory()));
        register(builder.Services, builder.Configuration);
        builder.Services.AddHealthChecks().AddEtcdConfiguration();
        var host = builder.Build();
        await host.StartAsync();
        return new GatedApp(host, builder.Configuration, logs);
    }

    public T Get<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();

    public async Task<HealthReportEntry> CheckHealthAsync() =>
        (await Get<HealthCheckService>().CheckHealthAsync()).Entries["etcd-configuration"];

    /// <summary>Waits until the provider has taken in etcd up to <paramref name="revision"/> (applied or held back).</summary>
    public Task ReachedAsync(long revision) =>
        Eventually.TrueAsync(() => Provider.Status.Revision >= revision, $"the provider reaches revision {revision}");

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        ((IDisposable)_configuration).Dispose();
    }
}
