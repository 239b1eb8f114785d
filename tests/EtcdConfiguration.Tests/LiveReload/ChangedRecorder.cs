using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tests.LiveReload;

/// <summary>
/// Keeps every <see cref="EtcdConfigurationProvider.Changed"/> event of a provider, with what a reader saw at the
/// changed keys when it was raised.
/// </summary>
internal sealed class ChangedRecorder : IDisposable
{
    private readonly ConcurrentQueue<EtcdConfigurationChangedEventArgs> _events = new();
    private readonly ConcurrentQueue<string> _readerViews = new();
    private readonly EtcdConfigurationProvider _provider;
    private readonly IConfiguration _configuration;

    public ChangedRecorder(IConfigurationRoot root)
    {
        _configuration = root;
        _provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        _provider.Changed += OnChanged;
    }

    public IReadOnlyList<EtcdConfigurationChangedEventArgs> Events => _events.ToArray();

    /// <summary>For each change of each event, whether a reader saw its new value when the event was raised.</summary>
    public IReadOnlyList<string> ReaderViews => _readerViews.ToArray();

    /// <summary>Each event as lines <c>key: old -> new</c>, one string per event.</summary>
    public IReadOnlyList<string> Shown => Events.Select(Show).ToArray();

    public static string Show(EtcdConfigurationChangedEventArgs args) =>
        string.Join("; ", args.Changes.Select(c => $"{c.Key}: {c.OldValue ?? "<none>"} -> {c.NewValue ?? "<none>"}"));

    public Task<EtcdConfigurationChangedEventArgs> WaitForAsync(Func<EtcdConfigurationChangedEventArgs, bool> match, string what) =>
        Eventually.SomeAsync(() => Events.FirstOrDefault(match), what);

    public void Dispose() => _provider.Changed -= OnChanged;

    private void OnChanged(object? sender, EtcdConfigurationChangedEventArgs args)
    {
        Assert.Same(_provider, sender);
        foreach (var change in args.Changes)
        {
            _readerViews.Enqueue(_configuration[change.Key] == change.NewValue ? "seen" : $"not seen: {change.Key}");
        }

        _events.Enqueue(args);
    }
}
