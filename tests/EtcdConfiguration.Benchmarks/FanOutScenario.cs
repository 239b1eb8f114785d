using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// Many providers of one prefix in one process on one etcd (they share a client and one watch of the prefix): one
/// write, then the time until the first and until the last of them has applied it. With <c>--only fan-out</c>, a
/// second group of as many providers that each watch on their own (the way before the shared watch) takes turns
/// with the first, write for write, on a prefix of its own.
/// </summary>
internal static class FanOutScenario
{
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs the scenario; the providers stay alive (for the idle measurement) until the caller disposes them.</summary>
    public static async Task<(FanOutResult Result, List<IDisposable> Roots)> RunAsync(BenchContext context)
    {
        var settings = context.Settings;
        var roots = new List<IDisposable>();
        var groups = new List<Group> { await Group.BuildAsync(context, "fan", shareWatch: true, roots) };
        if (settings.Only == "fan-out")
        {
            groups.Add(await Group.BuildAsync(context, "fan-own", shareWatch: false, roots));
        }

        var gcBefore = (Count: GC.CollectionCount(0), Pause: GC.GetTotalPauseDuration());
        var lagging = 0;
        for (var round = 0; round < settings.WarmupRounds + settings.FanOutWrites; round++)
        {
            for (var j = 0; j < groups.Count; j++)
            {
                var group = groups[(round + j) % groups.Count];
                lagging += await group.WriteAsync(context, round, timed: round >= settings.WarmupRounds);
            }
        }

        BenchContext.Log(string.Create(CultureInfo.InvariantCulture, $"fan-out: {GC.CollectionCount(0) - gcBefore.Count} collections, {(GC.GetTotalPauseDuration() - gcBefore.Pause).TotalMilliseconds:0} ms paused; load average {MachineInfo.LoadAverage()}"));
        var shared = groups[0];
        var result = new FanOutResult(settings.FanOutProviders, settings.FanOutWrites, Summary.Of(shared.All), Summary.Of(shared.First), lagging);
        foreach (var group in groups)
        {
            BenchContext.Log(string.Create(
                CultureInfo.InvariantCulture,
                $"fan-out to {result.Providers} providers{(group.ShareWatch ? string.Empty : " watching on their own")}: all applied p50 {Summary.Of(group.All).Median:0.00} ms p99 {Summary.Of(group.All).P99:0.00} ms max {Summary.Of(group.All).Max:0.00} ms; first p50 {Summary.Of(group.First).Median:0.00} ms"));
        }

        return (result, roots);
    }

    private sealed class Group(DataSet data, bool shareWatch, FanOutCounter counter, List<EtcdConfigurationProvider> providers)
    {
        public bool ShareWatch => shareWatch;

        public List<double> All { get; } = [];

        public List<double> First { get; } = [];

        public static async Task<Group> BuildAsync(BenchContext context, string name, bool shareWatch, List<IDisposable> roots)
        {
            var settings = context.Settings;
            var data = await context.DataSetAsync(name, settings.FanOutKeys);
            var counter = new FanOutCounter(settings.FanOutProviders);
            var providers = new List<EtcdConfigurationProvider>();
            for (var i = 0; i < settings.FanOutProviders; i++)
            {
                var root = new ConfigurationBuilder()
                    .AddEtcd(source =>
                    {
                        source.Endpoints = [context.Endpoint];
                        source.Prefix = data.Prefix;
                        source.ShareWatch = shareWatch;
                    })
                    .Build();
                var provider = ContentCheck.ProviderOf<EtcdConfigurationProvider>(root);
                roots.Add(ChangeToken.OnChange(provider.GetReloadToken, counter.Hit));
                roots.Add((IDisposable)root);
                providers.Add(provider);
            }

            return new Group(data, shareWatch, counter, providers);
        }

        /// <summary>One write and its fan-out; returns how many providers were still behind it when the last reloaded.</summary>
        public async Task<int> WriteAsync(BenchContext context, int round, bool timed)
        {
            var done = counter.Arm();
            var start = Stopwatch.GetTimestamp();
            var put = await context.Writer.KV.PutAsync(data.Key(0), DataSet.Value(0, string.Create(CultureInfo.InvariantCulture, $"f{round}")));
            var (firstApplied, lastApplied) = await done.WaitAsync(ArrivalTimeout);
            if (timed)
            {
                All.Add(Meter.Milliseconds(start, lastApplied));
                First.Add(Meter.Milliseconds(start, firstApplied));
            }

            return providers.Count(p => p.Revision < put.Header.Revision);
        }
    }
}
