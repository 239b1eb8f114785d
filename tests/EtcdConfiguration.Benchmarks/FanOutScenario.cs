using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// Many providers of one prefix in one process on one etcd (they share a client and its watch stream): one
/// write, then the time until the first and until the last of them has applied it.
/// </summary>
internal static class FanOutScenario
{
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs the scenario; the providers stay alive (for the idle measurement) until the caller disposes them.</summary>
    public static async Task<(FanOutResult Result, List<IDisposable> Roots)> RunAsync(BenchContext context)
    {
        var settings = context.Settings;
        var data = await context.DataSetAsync("fan", settings.FanOutKeys);
        var counter = new FanOutCounter(settings.FanOutProviders);
        var roots = new List<IDisposable>();
        var providers = new List<EtcdConfigurationProvider>();
        for (var i = 0; i < settings.FanOutProviders; i++)
        {
            var root = new ConfigurationBuilder().AddEtcd(context.Endpoint, data.Prefix).Build();
            var provider = ContentCheck.ProviderOf<EtcdConfigurationProvider>(root);
            roots.Add(ChangeToken.OnChange(provider.GetReloadToken, counter.Hit));
            roots.Add((IDisposable)root);
            providers.Add(provider);
        }

        var all = new List<double>();
        var first = new List<double>();
        var lagging = 0;
        for (var round = 0; round < settings.WarmupRounds + settings.FanOutWrites; round++)
        {
            var done = counter.Arm();
            var start = Stopwatch.GetTimestamp();
            var put = await context.Writer.KV.PutAsync(data.Key(0), DataSet.Value(0, string.Create(CultureInfo.InvariantCulture, $"f{round}")));
            var (firstApplied, lastApplied) = await done.WaitAsync(ArrivalTimeout);
            lagging += providers.Count(p => p.Revision < put.Header.Revision);
            if (round >= settings.WarmupRounds)
            {
                all.Add(Meter.Milliseconds(start, lastApplied));
                first.Add(Meter.Milliseconds(start, firstApplied));
            }
        }

        var result = new FanOutResult(settings.FanOutProviders, settings.FanOutWrites, Summary.Of(all), Summary.Of(first), lagging);
        BenchContext.Log(string.Create(
            CultureInfo.InvariantCulture,
            $"fan-out to {result.Providers} providers: all applied p50 {result.AllApplied.Median:0.00} ms p99 {result.AllApplied.P99:0.00} ms; first p50 {result.FirstApplied.Median:0.00} ms"));
        return (result, roots);
    }
}
