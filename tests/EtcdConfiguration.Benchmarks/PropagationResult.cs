namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// Write-to-notification latencies in milliseconds with <see cref="LoadedKeys"/> keys loaded: the provider's reload
/// token, the provider through <c>IOptionsMonitor.OnChange</c> (options rebound), the same with the options gated by
/// <c>ValidateEtcdChanges()</c>, and the raw watch floors (our client's and dotnet-etcd's).
/// </summary>
internal sealed record PropagationResult(
    int LoadedKeys,
    int Writes,
    Summary ReloadToken,
    Summary OnChange,
    Summary OurWatch,
    Summary PeerWatch,
    Summary GatedOnChange,
    int StaleReads,
    IReadOnlyList<double> ReloadTokenSamples,
    IReadOnlyList<double> OnChangeSamples,
    IReadOnlyList<double> OurWatchSamples,
    IReadOnlyList<double> PeerWatchSamples,
    IReadOnlyList<double> GatedOnChangeSamples);
