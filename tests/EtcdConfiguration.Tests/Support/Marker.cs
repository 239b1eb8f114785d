using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tests.Support;

/// <summary>
/// A marker value written after everything else and awaited through the reload that shows it. The provider makes a
/// batch's data visible, updates its status, reports the batch's bad keys and signals the reload, not necessarily
/// in that order; once the reload that shows the marker has been signalled and the status has caught up with it,
/// every write before the marker has been applied, reported and counted.
/// </summary>
internal static class Marker
{
    /// <summary>
    /// Runs <paramref name="write"/>, which sets <paramref name="key"/> to <paramref name="value"/> in etcd (a value
    /// the key does not hold yet), and waits as described above.
    /// </summary>
    public static async Task WriteAndAwaitAsync(IConfigurationRoot root, string key, string value, Func<Task> write)
    {
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        using var reloads = new ReloadRecorder(root, key);
        await write();
        await Eventually.TrueAsync(() => reloads.Probes.Contains(value), $"a reload shows configuration key '{key}' at '{value}' (it is '{root[key] ?? "<null>"}')");
        await ProviderWaits.StatusCaughtUpAsync(provider);
    }
}
