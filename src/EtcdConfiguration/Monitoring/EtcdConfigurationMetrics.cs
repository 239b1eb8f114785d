using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace EtcdConfiguration.Monitoring;

/// <summary>
/// The provider's instruments, on one <see cref="Meter"/> named <c>EtcdConfiguration</c>. Every measurement is
/// tagged with the provider's <c>prefix</c>; loads also with their <c>outcome</c> (<c>success</c>,
/// <c>failure</c> or <c>cache</c>).
/// </summary>
/// <remarks>
/// etcd events carry no timestamp, so the age of an event cannot be measured honestly; instead
/// <c>etcd_configuration.apply.duration</c> measures how long a watch batch takes from the moment the provider
/// takes it to the moment readers see it and every reload handler has run (a slow <c>OnChange</c> handler shows
/// here, as it delays later batches).
/// </remarks>
internal static class EtcdConfigurationMetrics
{
    public const string MeterName = EtcdConfigurationProvider.MeterName;

    private static readonly Meter Source = new(MeterName, typeof(EtcdConfigurationMetrics).Assembly.GetName().Version?.ToString());

    // Providers alive now, for the keys gauge; weak, so a provider that is never disposed is not kept alive by it.
    private static readonly ConditionalWeakTable<ProviderStatus, string> Providers = [];

    public static readonly Counter<long> Loads = Source.CreateCounter<long>(
        "etcd_configuration.loads", "{load}", "Loads of a whole prefix: from etcd (success or failure) or from the cache file.");

    public static readonly Counter<long> Reloads = Source.CreateCounter<long>(
        "etcd_configuration.reloads", "{reload}", "Reloads signalled to configuration readers (OnReload) after the first load: one per batch or re-read that changed the data.");

    public static readonly Counter<long> WatchReconnects = Source.CreateCounter<long>(
        "etcd_configuration.watch_reconnects", "{reconnect}", "Times the connection to etcd broke and the provider went to retry (stream breaks and failed background loads or watches).");

    public static readonly Counter<long> SkippedKeys = Source.CreateCounter<long>(
        "etcd_configuration.skipped_keys", "{key}", "etcd keys skipped for bad input (a value that does not decode, a name that is not UTF-8), counted each time one is met.");

    public static readonly Counter<long> RejectedChanges = Source.CreateCounter<long>(
        "etcd_configuration.rejected_changes", "{change}", "Batches from etcd held back, in part, because an options type gated with ValidateEtcdChanges() would not validate; tagged with the options type.");

    public static readonly Histogram<double> LoadDuration = Source.CreateHistogram<double>(
        "etcd_configuration.load.duration", "s", "How long a successful load of a whole prefix from etcd took, read and apply.");

    public static readonly Histogram<double> ApplyDuration = Source.CreateHistogram<double>(
        "etcd_configuration.apply.duration", "s", "How long applying one watch batch took, until readers see it and reload handlers have run.");

    public static readonly ObservableGauge<int> Keys = Source.CreateObservableGauge(
        "etcd_configuration.keys", ObserveKeys, "{key}", "Configuration keys each provider holds.");

    public static KeyValuePair<string, object?> Prefix(string prefix) => new("prefix", prefix);

    /// <summary>Counts a load of <paramref name="prefix"/> with its outcome.</summary>
    public static void CountLoad(string prefix, string outcome) =>
        Loads.Add(1, Prefix(prefix), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Makes a provider's key count visible to the keys gauge until <see cref="Untrack"/>.</summary>
    public static void Track(ProviderStatus status, string prefix) => Providers.AddOrUpdate(status, prefix);

    public static void Untrack(ProviderStatus status) => Providers.Remove(status);

    private static IEnumerable<Measurement<int>> ObserveKeys()
    {
        foreach (var (status, prefix) in Providers)
        {
            yield return new Measurement<int>(status.KeyCount, Prefix(prefix));
        }
    }
}
