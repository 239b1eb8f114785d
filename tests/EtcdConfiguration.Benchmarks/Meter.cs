using System.Diagnostics;

namespace EtcdConfiguration.Benchmarks;

/// <summary>Measures one operation: wall time, bytes allocated by every thread, and process CPU time.</summary>
internal static class Meter
{
    /// <summary>
    /// Runs <paramref name="operation"/> after a full collection and returns its cost and its result; the caller
    /// releases the result outside the measurement.
    /// </summary>
    public static async Task<(Cost Cost, T Result)> MeasureAsync<T>(Func<Task<T>> operation)
    {
        Settle();
        var cpu = Environment.CpuUsage.TotalTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var start = Stopwatch.GetTimestamp();
        var result = await operation();
        var elapsed = Stopwatch.GetElapsedTime(start);
        var allocatedAfter = GC.GetTotalAllocatedBytes(precise: true);
        var cpuAfter = Environment.CpuUsage.TotalTime;
        return (new Cost(elapsed.TotalMilliseconds, allocatedAfter - allocated, (cpuAfter - cpu).TotalMilliseconds), result);
    }

    /// <summary>Collects garbage until the heap is quiet, so one measurement does not pay for the previous one.</summary>
    public static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    public static double Milliseconds(long fromTimestamp, long toTimestamp) =>
        (toTimestamp - fromTimestamp) * 1000.0 / Stopwatch.Frequency;
}
