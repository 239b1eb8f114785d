using System.Globalization;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// Nothing changes for <see cref="BenchSettings.IdleWindow"/> while the providers built by earlier scenarios stay
/// alive and watching: etcd's started-RPC counters before and after (there must be no polling) and this
/// process's CPU time. Every other client of the run is closed first, so whatever etcd counts is the providers'.
/// </summary>
internal static class IdleScenario
{
    public static async Task<IdleResult> RunAsync(BenchContext context, int providers)
    {
        context.CloseWriter();
        try
        {
            // Let in-flight work (the last reloads, connection shutdowns) finish before the window opens.
            await Task.Delay(TimeSpan.FromSeconds(2));
            Meter.Settle();
            var before = await EtcdMetrics.StartedRpcsAsync(context.MetricsUrl);
            var cpu = Environment.CpuUsage.TotalTime;
            await Task.Delay(context.Settings.IdleWindow);
            var cpuAfter = Environment.CpuUsage.TotalTime;
            var after = await EtcdMetrics.StartedRpcsAsync(context.MetricsUrl);
            var byMethod = after
                .Select(pair => (pair.Key, Count: pair.Value - before.GetValueOrDefault(pair.Key)))
                .Where(pair => pair.Count != 0)
                .ToDictionary(pair => pair.Key, pair => pair.Count, StringComparer.Ordinal);
            var result = new IdleResult(providers, context.Settings.IdleWindow.TotalSeconds, byMethod.Values.Sum(), byMethod, (cpuAfter - cpu).TotalMilliseconds);
            BenchContext.Log(string.Create(
                CultureInfo.InvariantCulture,
                $"idle {result.WindowSeconds:0} s with {providers} providers: {result.Rpcs} RPCs, {result.CpuMilliseconds:0} ms CPU"));
            return result;
        }
        finally
        {
            context.ReopenWriter();
        }
    }
}
