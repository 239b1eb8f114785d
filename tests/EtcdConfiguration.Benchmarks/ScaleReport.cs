using System.Globalization;
using System.Text;

namespace EtcdConfiguration.Benchmarks;

/// <summary>The scale scenario's section of the Markdown page and its targets (within 1.1× the floor's time, 1.5× its memory).</summary>
internal static class ScaleReport
{
    private const double TimeRatio = 1.1;
    private const double MemoryRatio = 1.5;

    public static IEnumerable<TargetCheck> Targets(ScaleResult s)
    {
        var (p, f) = (s.Provider, s.Floor);
        yield return new(
            F($"{s.Instances:N0} instances: all applied within {TimeRatio}× the floor's, at p50 and p99"),
            F($"p50 {p.AllApplied.Median:0.0} vs {f.AllApplied.Median:0.0} ms ({p.AllApplied.Median / f.AllApplied.Median:0.00}×); p99 {p.AllApplied.P99:0.0} vs {f.AllApplied.P99:0.0} ms ({p.AllApplied.P99 / f.AllApplied.P99:0.00}×)"),
            p.AllApplied.Median <= TimeRatio * f.AllApplied.Median && p.AllApplied.P99 <= TimeRatio * f.AllApplied.P99 && p.Missed == 0);
        yield return new(
            F($"{s.Instances:N0} instances: client memory (managed heap) per instance at most {MemoryRatio}× the floor's"),
            F($"heap {KiB(p.ClientHeapBytesPerInstance)} vs {KiB(f.ClientHeapBytesPerInstance)} ({p.ClientHeapBytesPerInstance / f.ClientHeapBytesPerInstance:0.00}×); RSS above baseline {KiB(p.ClientRssBytesPerInstance)} vs {KiB(f.ClientRssBytesPerInstance)} ({p.ClientRssBytesPerInstance / f.ClientRssBytesPerInstance:0.00}×), whole process {KiB(p.ClientTotalRssBytesPerInstance)} vs {KiB(f.ClientTotalRssBytesPerInstance)} ({p.ClientTotalRssBytesPerInstance / f.ClientTotalRssBytesPerInstance:0.00}×)"),
            p.ClientHeapBytesPerInstance <= MemoryRatio * f.ClientHeapBytesPerInstance);
    }

    public static void Render(StringBuilder md, ScaleResult s)
    {
        var (p, f) = (s.Provider, s.Floor);
        Line(md, $"## Scale: {s.Instances:N0} app instances");
        Line(md, $"");
        Line(md, $"{s.Instances:N0} independent app instances of the provider — each `AddEtcd` of one shared prefix ({s.Keys} keys) with a client, connection and watch stream of its own, every member listed and a different one first per instance — against the floor, {s.Instances:N0} dotnet-etcd clients each holding one bare watch of a prefix of the same size on one member; each variant spread over {s.Processes} child processes ({s.Instances / s.Processes:N0} each), all alive together on a 3-member cluster of its own. {s.Writes} writes per variant, one at a time, the variants alternating. Each child notes when each of its instances had the write (reload fired with the new value; watch event arrived) on the machine's monotonic clock, which every process shares; times run from just before the put. etcd's CPU is the three members' user + system time (`/proc/<pid>/stat`) during the timed writes; memory is RSS. Client memory per instance is a child's managed heap after a full collection, and its RSS, above its own baseline taken before the instances were created (after one instance was built and closed, so one-time costs are out). See [scale.md](scale.md) for the plan beyond a thousand. Load average before / after: {s.LoadBefore} / {s.LoadAfter}.");
        Line(md, $"");
        Line(md, $"| | provider | floor (dotnet-etcd watch) | provider ÷ floor |");
        Line(md, $"| --- | --- | --- | --- |");
        Row(md, "all applied, p50 (ms)", p.AllApplied.Median, f.AllApplied.Median, "0.0");
        Row(md, "all applied, p99 (ms)", p.AllApplied.P99, f.AllApplied.P99, "0.0");
        Row(md, "all applied, max (ms)", p.AllApplied.Max, f.AllApplied.Max, "0.0");
        Row(md, "one instance's arrival, p50 (ms)", p.Arrival.Median, f.Arrival.Median, "0.0");
        Row(md, "one instance's arrival, p99 (ms)", p.Arrival.P99, f.Arrival.P99, "0.0");
        Row(md, "client managed heap per instance (KiB)", p.ClientHeapBytesPerInstance / 1024, f.ClientHeapBytesPerInstance / 1024, "0.0");
        Row(md, "client RSS per instance above the baseline (KiB)", p.ClientRssBytesPerInstance / 1024, f.ClientRssBytesPerInstance / 1024, "0.0");
        Row(md, "client process RSS ÷ instances, runtime included (KiB)", p.ClientTotalRssBytesPerInstance / 1024, f.ClientTotalRssBytesPerInstance / 1024, "0.0");
        Row(md, "client CPU per write, all children (ms)", p.ClientCpuMillisecondsPerWrite, f.ClientCpuMillisecondsPerWrite, "0.0");
        Row(md, "etcd CPU per write, 3 members (ms)", p.EtcdCpuMillisecondsPerWrite, f.EtcdCpuMillisecondsPerWrite, "0.0");
        Row(md, "etcd RSS growth per instance (KiB)", p.EtcdRssBytesPerInstance / 1024, f.EtcdRssBytesPerInstance / 1024, "0.0");
        Row(md, $"time to start {s.Instances:N0} instances (s)", p.StartSeconds, f.StartSeconds, "0.0");
        Line(md, $"");
        Line(md, $"etcd's three members held {s.EtcdRssBaselineBytes / 1048576.0:0} MiB before any instance existed; the floor's instances were started first, then the provider's, and each row of etcd growth is the members' RSS after that variant's start minus before it (RSS, not the Go heap: it grows in steps). Instances that skipped a timed write: provider {p.Missed}, floor {f.Missed}. The provider's instances also read the prefix once at start (the floor only watches), so they start slower and etcd holds a little more per connection for them.");
        Line(md, $"");
    }

    private static void Row(StringBuilder md, string label, double ours, double floor, string format) =>
        md.Append(CultureInfo.InvariantCulture, $"| {label} | {ours.ToString(format, CultureInfo.InvariantCulture)} | {floor.ToString(format, CultureInfo.InvariantCulture)} | {(ours / floor).ToString("0.00", CultureInfo.InvariantCulture)}× |").Append('\n');

    private static string KiB(double bytes) => (bytes / 1024).ToString("0.0", CultureInfo.InvariantCulture) + " KiB";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static void Line(StringBuilder md, FormattableString text) => md.Append(F(text)).Append('\n');
}
