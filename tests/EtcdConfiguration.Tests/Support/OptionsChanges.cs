using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace EtcdConfiguration.Tests.Support;

/// <summary>Records every value <see cref="IOptionsMonitor{TOptions}.OnChange"/> delivers, in order.</summary>
internal sealed class OptionsChanges<T> : IDisposable
{
    private readonly ConcurrentQueue<T> _values = new();
    private readonly IDisposable? _subscription;

    public OptionsChanges(IOptionsMonitor<T> monitor) => _subscription = monitor.OnChange(_values.Enqueue);

    public IReadOnlyList<T> Values => _values.ToArray();

    /// <summary>Waits until OnChange has delivered a value matching <paramref name="predicate"/>, and returns the first one.</summary>
    public async Task<T> WaitAsync(Func<T, bool> predicate, string what)
    {
        await Eventually.TrueAsync(() => _values.Any(predicate), what);
        return _values.First(predicate);
    }

    public void Dispose() => _subscription?.Dispose();
}
