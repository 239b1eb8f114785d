namespace EtcdConfiguration.Benchmarks;

/// <summary>A series of measurements reduced to median, min, max and tail percentiles (nearest rank).</summary>
internal sealed record Summary(int Count, double Median, double Min, double Max, double P99)
{
    public static Summary Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Summary(0, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        return new Summary(sorted.Length, Percentile(sorted, 0.5), sorted[0], sorted[^1], Percentile(sorted, 0.99));
    }

    /// <summary>The nearest-rank percentile of an ascending array.</summary>
    public static double Percentile(double[] sorted, double fraction)
    {
        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
