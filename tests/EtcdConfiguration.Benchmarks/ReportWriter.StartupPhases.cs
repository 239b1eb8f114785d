using System.Text;

namespace EtcdConfiguration.Benchmarks;

// The startup phase table and the etcd-config import section: both generated, so no part of the page is kept by hand.
internal static partial class ReportWriter
{
    private static void StartupPhases(StringBuilder md, IReadOnlyList<StartupPhaseRow> rows, IReadOnlyList<StartupRow> startup)
    {
        if (rows.Count == 0)
        {
            return;
        }

        Line(md, $"## Startup, phase by phase");
        Line(md, $"");
        Line(md, $"The provider's own parts run one after another on one thread, each timed alone: the snapshot read (`PrefixSnapshotReader`, a new client and connection included), decoding and mapping every key-value (`KeyMapper`, `JsonValueFlattener`), and the first load of the store (`ConfigurationStore`). In the same rotation: the whole `AddEtcd(...).Build()`, where the next request is in flight while the current page is decoded, with its publish (the first reload) and the start of its watch; the same read, decode and store without the publish under three read policies (the rest in one request, requests of 4 MiB, and the previous reader's pages of at most 1 MiB and 10,000 keys, each a request etcd 3.4 answers by walking the whole rest of the range); and the JSON file provider. Milliseconds, median [min – max].");
        Line(md, $"");
        var header = new StringBuilder("| phase |");
        var rule = new StringBuilder("| --- |");
        foreach (var row in rows)
        {
            header.Append(FormattableString.Invariant($" {row.Keys:N0} keys ({row.Repetitions} repetitions) |"));
            rule.Append(" --- |");
        }

        md.Append(header).Append('\n').Append(rule).Append('\n');
        PhaseLine(md, rows, "range: connect, then read at one revision", StartupPhaseRow.Range, row => FormattableString.Invariant($" ({row.Requests} requests)"));
        PhaseLine(md, rows, "decode and map", StartupPhaseRow.Decode);
        PhaseLine(md, rows, "store insert (first load)", StartupPhaseRow.Store);
        var sums = string.Concat(rows.Select(row => FormattableString.Invariant($" {row.Median(StartupPhaseRow.Range) + row.Median(StartupPhaseRow.Decode) + row.Median(StartupPhaseRow.Store):0.0} |")));
        Line(md, $"| sum of the phases above |{sums}");
        PhaseLine(md, rows, "**provider `Build()`** (reading overlaps decoding; publish and watch start included)", StartupPhaseRow.Provider);
        PhaseLine(md, rows, "of which garbage collection paused", StartupPhaseRow.ProviderGc);
        PhaseLine(md, rows, "**JSON file provider**", StartupPhaseRow.JsonFile);
        PhaseLine(md, rows, "read, decode and store, pipelined: the rest in one request (the provider's policy)", StartupPhaseRow.RestAtOnce);
        PhaseLine(md, rows, "the same with requests of 4 MiB", StartupPhaseRow.FourMiBRequests);
        PhaseLine(md, rows, "the same with the previous reader (pages of ≤ 1 MiB and ≤ 10,000 keys)", StartupPhaseRow.PreviousReader);
        PhaseLine(md, rows, "first `GetChildKeys` after the load (root, then one section; not on the startup path)", StartupPhaseRow.ChildKeys);
        Line(md, $"");

        var large = rows[^1];
        var range = large.Median(StartupPhaseRow.Range);
        var decode = large.Median(StartupPhaseRow.Decode);
        var store = large.Median(StartupPhaseRow.Store);
        var whole = large.Median(StartupPhaseRow.Provider);
        var json = large.Median(StartupPhaseRow.JsonFile);
        var gc = large.Median(StartupPhaseRow.ProviderGc);
        var raw = startup.FirstOrDefault(row => row.Keys == large.Keys)?.RawRange.Milliseconds.Median ?? double.NaN;
        Line(md, $"Where the time goes, at {large.Keys:N0} keys ({large.Keys * 6:N0} configuration keys): the JSON file provider reads a local file and builds one dictionary in {json:0} ms. The provider first has to get the same content over the network: the read alone (a new connection, etcd serving every key-value at one revision, the client parsing the response) takes {range:0} ms in {large.Requests} requests (our client's single unbounded get, the floor above, {raw:0} ms). Decoding and mapping adds {decode:0} ms (UTF-8 checks, key paths, flattening each JSON value the way the file provider does) and the store {store:0} ms: for every etcd key it records which configuration keys it gives, which is what keeps the cost of one changed key flat however many are loaded (see the cost of one changed key). The whole `Build()` takes {whole:0} ms, less than the sum because reading the rest overlaps decoding the first page; garbage collection paused it for {gc:0} ms (median).");
        Line(md, $"");
        Line(md, $"What is not on the startup path: the index that answers `GetChildKeys` (what the options binder asks) is built on the first call after the load, not before the first publish, and forgotten when a batch adds or removes a configuration key; the validation gate, the cache file and `Changed` handlers cost nothing unless the app uses them. The read asks for a first page of {2000:N0} keys, which fixes the revision and tells how many keys follow and how large they are; when the rest, estimated from that page with a margin of 1.5×, fits in half of the client's `MaxReceiveMessageSize` (64 MiB by default) it comes in one more request at that revision, otherwise in pages of an eighth of that limit. A response that would still be too large is asked again for fewer keys.");
        Line(md, $"");
    }

    private static void PhaseLine(StringBuilder md, IReadOnlyList<StartupPhaseRow> rows, string name, string phase, Func<StartupPhaseRow, string>? suffix = null)
    {
        md.Append("| ").Append(name).Append(" |");
        foreach (var row in rows)
        {
            md.Append(' ').Append(row.Phases.TryGetValue(phase, out var summary) ? Cell(summary, "0.0") : "–").Append(suffix?.Invoke(row)).Append(" |");
        }

        md.Append('\n');
    }

    private static void ToolImport(StringBuilder md, ToolImportResult import)
    {
        Line(md, $"## etcd-config import");
        Line(md, $"");
        if (import.Failed)
        {
            Line(md, $"**The import failed in this run**; the log of the run says why.");
            Line(md, $"");
            return;
        }

        Line(md, $"Importing an appsettings file of {import.Keys:N0} keys ({import.Keys / 10:N0} sections of 10 settings, values of about 40 bytes) into an empty prefix with `etcd-config import`, in the default keys layout, run in process against the same etcd member: the command's own work, timed with `Stopwatch` from parsing the command line to its exit code (reading the file with the framework's JSON provider, reading the prefix, planning, verifying the plan with the provider's mapping, writing). The .NET start-up of an `etcd-config` process comes on top. The first transaction carries the prefix-wide guard and goes alone; the others carry per-key guards and go four at a time (etcd evaluates a prefix-wide compare by reading every key under the prefix, so repeating it in every transaction would cost that read each time).");
        Line(md, $"");
        Line(md, $"| runs | median (ms) | min (ms) | max (ms) | the command's summary |");
        Line(md, $"| --- | --- | --- | --- | --- |");
        Line(md, $"| {import.Milliseconds.Count} (after one warm-up) | {import.Milliseconds.Median:0} | {import.Milliseconds.Min:0} | {import.Milliseconds.Max:0} | {import.ToolSummary} |");
        Line(md, $"");
        Line(md, $"On its own: `bash eng/bench.sh --only tool-import` (it only logs).");
        Line(md, $"");
    }
}
