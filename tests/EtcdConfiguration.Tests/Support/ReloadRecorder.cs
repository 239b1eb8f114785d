using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace EtcdConfiguration.Tests.Support;

/// <summary>
/// Counts the reloads of a configuration and, at each one, what one probe key held when the reload was signalled.
/// </summary>
internal sealed class ReloadRecorder : IDisposable
{
    private readonly ConcurrentQueue<string?> _probes = new();
    private readonly IDisposable _registration;

    public ReloadRecorder(IConfiguration configuration, string? probeKey = null)
    {
        _registration = ChangeToken.OnChange(
            configuration.GetReloadToken,
            () => _probes.Enqueue(probeKey is null ? null : configuration[probeKey]));
    }

    public int Count => _probes.Count;

    /// <summary>The probe key's value at each reload, in order.</summary>
    public IReadOnlyList<string?> Probes => _probes.ToArray();

    public void Dispose() => _registration.Dispose();
}
