using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace EtcdConfiguration.Validation;

/// <summary>
/// Attaches the validation gate to every etcd provider of the app's configuration when the host starts, and
/// detaches it when the host stops. The providers are built before the services exist; this is the moment both do.
/// </summary>
internal sealed class ChangeGateActivator : IHostedService
{
    private readonly IConfiguration _configuration;
    private readonly IServiceProvider _services;
    private readonly IReadOnlyList<GatedOptions> _gated;
    private readonly List<(EtcdConfigurationProvider Provider, ChangeGate Gate)> _attached = [];

    public ChangeGateActivator(IConfiguration configuration, IServiceProvider services, IEnumerable<GatedOptions> gated)
    {
        _configuration = configuration;
        _services = services;

        // ValidateEtcdChanges() called twice for one type and name gates it once.
        _gated = [.. gated.DistinctBy(g => (g.OptionsType, g.Name))];
    }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var provider in EtcdConfigurationHealthCheck.FindProviders(_configuration))
        {
            _attached.Add((provider, provider.AttachGate(_services, _gated)));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        // The services are about to be disposed: no batch may build options with them any more.
        foreach (var (provider, gate) in _attached)
        {
            provider.Applier.DetachGate(gate);
        }

        _attached.Clear();
        return Task.CompletedTask;
    }
}
