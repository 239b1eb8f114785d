namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// Write-to-notification latencies in milliseconds with <see cref="LoadedKeys"/> keys loaded: the provider's reload
/// token, the provider through <c>IOptionsMonitor.OnChange</c> (options rebound), and the raw watch floors (our
/// client's and dotnet-etcd's).
/// </summary>
internal sealed record PropagationResult(
    int LoadedKeys,
    int Writes,
    Summary ReloadToken,
    Summary OnChange,
    Summary OurWatch,
    Summary PeerWatch,
    int StaleReads,
    IReadOnlyList<double> ReloadTokenSamples,
    IReadOnlyList<double> OnChangeSamples,
    IReadOnlyList<double> OurWatchSamples,
    IReadOnlyList<double> PeerWatchSamples);
