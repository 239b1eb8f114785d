using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// Draws the propagation latency CDF: the provider beside the raw watch floors, on a logarithmic time axis so the
/// body of the curves and their tails both show.
/// </summary>
internal static class CdfChart
{
    private static readonly double[] Ticks = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

    public static void Save(PropagationResult result, string path)
    {
        var plot = new Plot();
        var series = new (string Name, IReadOnlyList<double> Samples, Color Color)[]
        {
            ("provider → reload token", result.ReloadTokenSamples, Colors.Crimson),
            ("provider → IOptionsMonitor.OnChange (options rebound)", result.OnChangeSamples, Colors.Purple),
            ("provider → OnChange, gated by ValidateEtcdChanges()", result.GatedOnChangeSamples, Colors.Orange),
            ("our client's raw watch (floor)", result.OurWatchSamples, Colors.SteelBlue),
            ("dotnet-etcd raw watch", result.PeerWatchSamples, Colors.DarkOrange),
        };

        var low = double.MaxValue;
        var high = double.MinValue;
        foreach (var (name, samples, color) in series)
        {
            var sorted = samples.Order().ToArray();
            var fractions = Enumerable.Range(1, sorted.Length).Select(i => 100.0 * i / sorted.Length).ToArray();
            var line = plot.Add.Scatter(sorted.Select(Math.Log10).ToArray(), fractions);
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{name}: p50 {Summary.Percentile(sorted, 0.5):0.00} ms, p99 {Summary.Percentile(sorted, 0.99):0.00} ms");
            line.Color = color;
            line.LineWidth = 2;
            line.MarkerSize = 0;
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            low = Math.Min(low, sorted[0]);
            high = Math.Max(high, sorted[^1]);
        }

        var ticks = new NumericManual();
        foreach (var tick in Ticks.Where(t => t >= low / 2 && t <= high * 2))
        {
            ticks.AddMajor(Math.Log10(tick), tick.ToString(CultureInfo.InvariantCulture));
        }

        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Propagation: one put → notification, {result.LoadedKeys:N0} keys loaded, {result.Writes:N0} writes each"));
        plot.XLabel("milliseconds from the put to the notification (log scale)");
        plot.YLabel("writes notified within (%)");
        plot.Axes.SetLimits(Math.Log10(low * 0.9), Math.Log10(high * 1.1), 0, 101);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 1100, 650);
    }
}
