namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// One of the consecutive series a propagation run is cut into (the variants take turns within each, so a series
/// is a run of its own in miniature): each variant's p99 in milliseconds, and the provider's p99s above the floor.
/// </summary>
internal sealed record PropagationSeries(int Writes, double ReloadTokenP99, double OnChangeP99, double OurWatchP99, double PeerWatchP99)
{
    public double ReloadTokenGap => ReloadTokenP99 - OurWatchP99;

    public double OnChangeGap => OnChangeP99 - OurWatchP99;

    /// <summary>Cuts the samples (one per write, in write order, every variant written in the same rounds) into <paramref name="count"/> series.</summary>
    public static List<PropagationSeries> Cut(PropagationResult r, int count)
    {
        var series = new List<PropagationSeries>();
        var length = r.OurWatchSamples.Count / Math.Max(1, count);
        for (var i = 0; length > 0 && i < count; i++)
        {
            double P99(IReadOnlyList<double> samples) => Summary.Of(samples.Skip(i * length).Take(length)).P99;
            series.Add(new PropagationSeries(length, P99(r.ReloadTokenSamples), P99(r.OnChangeSamples), P99(r.OurWatchSamples), P99(r.PeerWatchSamples)));
        }

        return series;
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
