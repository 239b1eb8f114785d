namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// Write-to-notification latencies in milliseconds: the provider's <c>IOptionsMonitor.OnChange</c> with
/// <see cref="LoadedKeys"/> keys loaded, and the raw watch floors (our client's and dotnet-etcd's).
/// </summary>
internal sealed record PropagationResult(
    int LoadedKeys,
    int Writes,
    Summary Provider,
    Summary OurWatch,
    Summary PeerWatch,
    int StaleReads,
    IReadOnlyList<double> ProviderSamples,
    IReadOnlyList<double> OurWatchSamples,
    IReadOnlyList<double> PeerWatchSamples);
