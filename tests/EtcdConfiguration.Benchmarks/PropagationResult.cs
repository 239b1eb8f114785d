namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// Write-to-notification latencies in milliseconds with <see cref="LoadedKeys"/> keys loaded: the provider's reload
/// token, the provider through <c>IOptionsMonitor.OnChange</c> (options rebound), the same with the options gated by
/// <c>ValidateEtcdChanges()</c>, and the raw watch floors (our client's and dotnet-etcd's); the p99s of each
/// consecutive series in <see cref="Series"/>.
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
    IReadOnlyList<double> GatedOnChangeSamples)
{
    /// <summary>The run cut into consecutive series, each with its own p99s (set by the scenario).</summary>
    public IReadOnlyList<PropagationSeries> Series { get; init; } = [];
}
