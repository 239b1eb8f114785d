using ScottPlot;

namespace EtcdConfiguration.Benchmarks;

/// <summary>Draws the propagation latency CDF: the provider beside the raw watch floors.</summary>
internal static class CdfChart
{
    /// <summary>The x axis ends at this percentile of the slowest series, so the body of the curves stays readable.</summary>
    private const double AxisPercentile = 0.995;

    public static void Save(PropagationResult result, string path)
    {
        var plot = new Plot();
        var series = new (string Name, IReadOnlyList<double> Samples, Color Color)[]
        {
            ("provider → reload token", result.ReloadTokenSamples, Colors.Crimson),
            ("provider → IOptionsMonitor.OnChange (options rebound)", result.OnChangeSamples, Colors.Purple),
            ("our client's raw watch (floor)", result.OurWatchSamples, Colors.SteelBlue),
            ("dotnet-etcd raw watch", result.PeerWatchSamples, Colors.DarkOrange),
        };

        double axisEnd = 0;
        foreach (var (name, samples, color) in series)
        {
            var sorted = samples.Order().ToArray();
            var fractions = Enumerable.Range(1, sorted.Length).Select(i => 100.0 * i / sorted.Length).ToArray();
            var line = plot.Add.Scatter(sorted, fractions);
            line.LegendText = $"{name}: p50 {Summary.Percentile(sorted, 0.5):0.00} ms, p99 {Summary.Percentile(sorted, 0.99):0.00} ms";
            line.Color = color;
            line.LineWidth = 2;
            line.MarkerSize = 0;
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            axisEnd = Math.Max(axisEnd, Summary.Percentile(sorted, AxisPercentile));
        }

        plot.Title($"Propagation: one put → notification, {result.LoadedKeys:N0} keys loaded, {result.Writes:N0} writes each");
        plot.XLabel($"milliseconds from the put to the notification (axis cut at the {AxisPercentile * 100:0.#}th percentile)");
        plot.YLabel("writes notified within (%)");
        plot.Axes.SetLimits(0, axisEnd * 1.05, 0, 101);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 1100, 650);
    }
}
