using System.Globalization;
using System.Text;

namespace EtcdConfiguration.Benchmarks;

/// <summary>Writes the Markdown page (docs/benchmarks.md in a full run) from one run's results.</summary>
internal static partial class ReportWriter
{
    public static string Render(BenchResults r, IReadOnlyList<TargetCheck> checks, IReadOnlyList<RunRecord> history, string chartFile)
    {
        var md = new StringBuilder();
        Line(md, $"# Benchmarks");
        Line(md, $"");
        Line(md, $"Measured by `tests/EtcdConfiguration.Benchmarks`, a console harness (it is built with the solution but never run by `dotnet test`), against a real etcd member it starts on loopback with the test-support library. Every variant runs in the same process, in the same run, on the same seeded data, and the variants take turns (the order rotates every repetition), so machine noise falls on all of them alike. A figure is the median of its repetitions with [min – max]; a ratio is ours ÷ the baseline measured in the same run.");
        Line(md, $"");
        Line(md, $"Values are JSON objects of about 100 bytes (`{{\"Name\":\"seed-000123\",\"Enabled\":true,\"Weight\":123,\"Tags\":[\"alpha\",\"beta\"],\"Url\":\"https://svc.example/items/123\"}}`) under keys `S0001/K23`, so each etcd key becomes six configuration keys (`S0001:K23:Name`, ...). The JSON file baseline holds exactly the same content as one appsettings-style file; the harness checks that every variant ends up with the same configuration before it measures.");
        Line(md, $"");
        Line(md, $"**Rerun:** `bash eng/bench.sh` (the full run, about {Math.Ceiling(r.DurationMinutes):0} minutes here; it rewrites this page, `docs/propagation-cdf.png` and `docs/benchmark-results.json`). `bash eng/bench.sh --quick` is a smoke run with small counts that writes to `artifacts/bench/` instead.");
        Line(md, $"");
        if (r.Quick)
        {
            Line(md, $"> **This is a quick (smoke) run with small counts; its figures are not the published ones.**");
            Line(md, $"");
        }

        Line(md, $"## Machine");
        Line(md, $"");
        Line(md, $"| cores | CPU | memory | OS | .NET | etcd | load average before / after (1, 5, 15 min) |");
        Line(md, $"| --- | --- | --- | --- | --- | --- | --- |");
        var m = r.Machine;
        Line(md, $"| {m.Cores} | {m.Cpu} | {m.MemoryGiB:0.0} GiB | {m.Os}, Linux {m.Kernel} | {m.Runtime} | {m.Etcd} (one member, data on tmpfs) | {r.LoadBefore} / {r.LoadAfter} |");
        Line(md, $"");
        Line(md, $"Run started {r.Started:yyyy-MM-dd HH:mm} UTC and took {r.DurationMinutes:0.0} minutes. The machine is shared: other work can run beside the benchmark, which the load averages show.");
        Line(md, $"");

        Line(md, $"## Targets");
        Line(md, $"");
        Line(md, $"| target | measured | result |");
        Line(md, $"| --- | --- | --- |");
        foreach (var check in checks)
        {
            Line(md, $"| {check.Target} | {check.Measured} | {(check.Met ? "met" : "**missed**")} |");
        }

        Line(md, $"");
        RunToRun(md, checks, history);
        Startup(md, r.Startup);
        StartupPhases(md, r.StartupPhases, r.Startup);
        Propagation(md, r.Propagation, chartFile);
        ChangeCost(md, r.ChangeCost);
        Burst(md, r.Burst);
        Memory(md, r.Memory);
        Idle(md, r.Idle);
        FanOut(md, r.FanOut, r.Propagation);
        ScaleReport.Render(md, r.Scale);
        Notes(md, r.Propagation);
        ToolImport(md, r.ToolImport);
        Method(md);
        return md.ToString();
    }

    private static void Startup(StringBuilder md, IReadOnlyList<StartupRow> rows)
    {
        Line(md, $"## Startup");
        Line(md, $"");
        Line(md, $"From nothing to a loaded configuration: `new ConfigurationBuilder().AddEtcd(endpoint, prefix).Build()` against dotnet-etcd 10.0.0 doing the same work by hand (a new client, one ranged get of the prefix, the same flattened case-insensitive dictionary built with System.Text.Json), our client's bare ranged get (the floor: no mapping at all) and the JSON file provider loading the same content from a local file. Each starts with a new client and a new connection. Before any is timed, every variant runs untimed rounds (40 at the first size, one at each other) so each is timed with its code fully compiled; a process's very first load pays the JIT on top, whichever library it uses. Allocated bytes count every thread.");
        Line(md, $"");
        Line(md, $"| etcd keys (configuration keys) | repetitions | provider | dotnet-etcd by hand | our client's range (floor) | JSON file | provider ÷ dotnet-etcd | provider ÷ JSON file |");
        Line(md, $"| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var row in rows)
        {
            Line(md, $"| {row.Keys:N0} ({row.ConfigurationKeys:N0}) — time (ms) | {row.Provider.Milliseconds.Count} | {Cell(row.Provider.Milliseconds, "0.0")} | {Cell(row.Peer.Milliseconds, "0.0")} | {Cell(row.RawRange.Milliseconds, "0.0")} | {Cell(row.JsonFile.Milliseconds, "0.0")} | {row.Provider.Milliseconds.Median / row.Peer.Milliseconds.Median:0.00}× | {row.Provider.Milliseconds.Median / row.JsonFile.Milliseconds.Median:0.00}× |");
            Line(md, $"| {row.Keys:N0} — allocated (MiB) | | {MiB(row.Provider.AllocatedBytes)} | {MiB(row.Peer.AllocatedBytes)} | {MiB(row.RawRange.AllocatedBytes)} | {MiB(row.JsonFile.AllocatedBytes)} | {row.Provider.AllocatedBytes.Median / row.Peer.AllocatedBytes.Median:0.00}× | {row.Provider.AllocatedBytes.Median / row.JsonFile.AllocatedBytes.Median:0.00}× |");
            Line(md, $"| {row.Keys:N0} — CPU (ms, this process) | | {Cell(row.Provider.CpuMilliseconds, "0")} | {Cell(row.Peer.CpuMilliseconds, "0")} | {Cell(row.RawRange.CpuMilliseconds, "0")} | {Cell(row.JsonFile.CpuMilliseconds, "0")} | {row.Provider.CpuMilliseconds.Median / row.Peer.CpuMilliseconds.Median:0.00}× | |");
        }

        var differences = rows.Sum(row => row.ContentDifferences);
        Line(md, $"");
        Line(md, $"Content check: the provider, the hand-built dictionary and the JSON file provider {(differences == 0 ? "held identical configuration at every size" : $"**differed on {differences} keys**")}.");
        Line(md, $"");
    }

    private static void Propagation(StringBuilder md, PropagationResult p, string chartFile)
    {
        Line(md, $"## Propagation");
        Line(md, $"");
        Line(md, $"One put, then the time until the app is told, with {p.LoadedKeys:N0} keys loaded: a provider's reload token (`IConfigurationRoot.GetReloadToken()`, what every change listener hangs on), and another provider's `IOptionsMonitor<T>.OnChange` (the options rebound from the new data by the framework's binder, then the listener called), and a third provider's `OnChange` with the options gated by `ValidateEtcdChanges()` (every write touches the gated section, so the gate binds and validates the options from the candidate data before applying it); against the raw watch floors measured the same way — our client's bare watch and dotnet-etcd's. Each has a prefix of its own. The clock starts just before the put is sent, so every variant includes the same write round trip. {p.Writes:N0} writes per variant, one at a time, rotating among the five.");
        Line(md, $"");
        Line(md, $"| ms from put to notification | p50 | p99 | max | min |");
        Line(md, $"| --- | --- | --- | --- | --- |");
        Line(md, $"| provider → reload token | {p.ReloadToken.Median:0.000} | {p.ReloadToken.P99:0.000} | {p.ReloadToken.Max:0.000} | {p.ReloadToken.Min:0.000} |");
        Line(md, $"| provider → `IOptionsMonitor.OnChange` | {p.OnChange.Median:0.000} | {p.OnChange.P99:0.000} | {p.OnChange.Max:0.000} | {p.OnChange.Min:0.000} |");
        Line(md, $"| our client's raw watch (the floor) | {p.OurWatch.Median:0.000} | {p.OurWatch.P99:0.000} | {p.OurWatch.Max:0.000} | {p.OurWatch.Min:0.000} |");
        Line(md, $"| dotnet-etcd raw watch | {p.PeerWatch.Median:0.000} | {p.PeerWatch.P99:0.000} | {p.PeerWatch.Max:0.000} | {p.PeerWatch.Min:0.000} |");
        Line(md, $"| reload token − our floor | {p.ReloadToken.Median - p.OurWatch.Median:+0.000;-0.000} | {p.ReloadToken.P99 - p.OurWatch.P99:+0.000;-0.000} | | |");
        Line(md, $"| OnChange − our floor | {p.OnChange.Median - p.OurWatch.Median:+0.000;-0.000} | {p.OnChange.P99 - p.OurWatch.P99:+0.000;-0.000} | | |");
        Line(md, $"| provider → `OnChange`, options gated by `ValidateEtcdChanges()` | {p.GatedOnChange.Median:0.000} | {p.GatedOnChange.P99:0.000} | {p.GatedOnChange.Max:0.000} | {p.GatedOnChange.Min:0.000} |");
        Line(md, $"| gate cost (gated − ungated `OnChange`) | {p.GatedOnChange.Median - p.OnChange.Median:+0.000;-0.000} | {p.GatedOnChange.P99 - p.OnChange.P99:+0.000;-0.000} | | |");
        Line(md, $"| reload token − dotnet-etcd's watch | {p.ReloadToken.Median - p.PeerWatch.Median:+0.000;-0.000} | {p.ReloadToken.P99 - p.PeerWatch.P99:+0.000;-0.000} | | |");
        Line(md, $"");
        PropagationSeriesTable(md, p);
        Line(md, $"The gap between the reload token and `OnChange` is the rebinding of the options: the binder asks the configuration for the children of the bound section, and `GetChildKeys` scans every loaded configuration key ({p.LoadedKeys * 6:N0} here), as the framework's own providers do. It grows with the keys loaded; see the notes at the end.");
        Line(md, $"");
        Line(md, $"After each notification the bound options held the written value {(p.StaleReads == 0 ? "every time" : $"**except {p.StaleReads} times**")}.");
        Line(md, $"");
        Line(md, $"![Propagation latency CDF: the provider beside the raw watch floors]({chartFile})");
        Line(md, $"");
    }

    private static void PropagationSeriesTable(StringBuilder md, PropagationResult p)
    {
        if (p.Series.Count == 0)
        {
            return;
        }

        Line(md, $"The same writes cut into {p.Series.Count} consecutive series of {p.Series[0].Writes:N0} writes per variant (the variants take turns within each, so each series is a small run of its own). The spread of a p99 between series is its run-to-run noise; the p99 targets are judged on all the writes pooled, the estimate with the smallest sampling error.");
        Line(md, $"");
        Line(md, $"| series | reload token p99 | `OnChange` p99 | our floor p99 | dotnet-etcd p99 | reload token − floor | `OnChange` − floor |");
        Line(md, $"| --- | --- | --- | --- | --- | --- | --- |");
        for (var i = 0; i < p.Series.Count; i++)
        {
            var s = p.Series[i];
            Line(md, $"| {i + 1} | {s.ReloadTokenP99:0.000} | {s.OnChangeP99:0.000} | {s.OurWatchP99:0.000} | {s.PeerWatchP99:0.000} | {s.ReloadTokenGap:+0.000;-0.000} | {s.OnChangeGap:+0.000;-0.000} |");
        }

        var token = p.Series.Select(s => s.ReloadTokenGap).ToList();
        var change = p.Series.Select(s => s.OnChangeGap).ToList();
        Line(md, $"| median [min – max] | | | | | {PropagationSeries.Median(token):+0.000;-0.000} [{token.Min():+0.000;-0.000} – {token.Max():+0.000;-0.000}] | {PropagationSeries.Median(change):+0.000;-0.000} [{change.Min():+0.000;-0.000} – {change.Max():+0.000;-0.000}] |");
        Line(md, $"");
    }

    private static void ChangeCost(StringBuilder md, IReadOnlyList<ChangeCostRow> rows)
    {
        Line(md, $"## Cost of one changed key");
        Line(md, $"");
        Line(md, $"What the provider spends applying one changed key, by the number of keys loaded: real watch responses (one put each) are handed to the provider's batch applier — the method its watch loop calls — on the measuring thread, so the figures are that thread's wall time, CPU time (`CLOCK_THREAD_CPUTIME_ID`) and allocations (`GC.GetAllocatedBytesForCurrentThread`) for one batch, network excluded. The keys changed are spread over the whole prefix; the sizes take turns.");
        Line(md, $"");
        Line(md, $"| keys loaded | batches | wall (µs) | CPU (µs) | allocated (bytes) | CPU ÷ smallest | allocated ÷ smallest |");
        Line(md, $"| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var row in rows)
        {
            Line(md, $"| {row.LoadedKeys:N0} | {row.Microseconds.Count} | {Cell(row.Microseconds, "0.0")} | {Cell(row.CpuMicroseconds, "0.0")} | {Cell(row.AllocatedBytes, "N0")} | {row.CpuMicroseconds.Median / rows[0].CpuMicroseconds.Median:0.00}× | {row.AllocatedBytes.Median / rows[0].AllocatedBytes.Median:0.00}× |");
        }

        Line(md, $"");
        var differences = rows.Sum(row => row.ContentDifferences);
        Line(md, $"After the changes every provider {(differences == 0 ? "held exactly what etcd held" : $"**differed from etcd on {differences} keys**")}.");
        Line(md, $"");
    }

    private static void Burst(StringBuilder md, BurstResult b)
    {
        Line(md, $"## Burst");
        Line(md, $"");
        Line(md, $"{b.Writes:N0} puts as fast as one client sends them ({b.Concurrency} in flight), each changing one of the {b.LoadedKeys:N0} loaded keys, {b.Bursts} bursts. Convergence is the time from the last put's acknowledgement until the provider's reload at etcd's final revision (negative: the provider got there before the writer heard its last ack); afterwards the provider's data is compared with a fresh read of the prefix.");
        Line(md, $"");
        Line(md, $"| | median | min | max |");
        Line(md, $"| --- | --- | --- | --- |");
        Line(md, $"| sending the burst (ms) | {b.SendMilliseconds.Median:0} | {b.SendMilliseconds.Min:0} | {b.SendMilliseconds.Max:0} |");
        Line(md, $"| last ack → provider at the final revision (ms) | {b.ConvergeMilliseconds.Median:0.0} | {b.ConvergeMilliseconds.Min:0.0} | {b.ConvergeMilliseconds.Max:0.0} |");
        Line(md, $"| reloads fired per burst | {b.Reloads.Median:0} | {b.Reloads.Min:0} | {b.Reloads.Max:0} |");
        Line(md, $"");
        Line(md, $"Exact final state (every key equal to etcd's, revision equal to the last write's): {b.ExactBursts} of {b.Bursts} bursts.");
        Line(md, $"");
    }

    private static void Memory(StringBuilder md, IReadOnlyList<MemoryRow> rows)
    {
        Line(md, $"## Retained memory");
        Line(md, $"");
        Line(md, $"Managed heap after a full collection, before and after building a configuration that is then held alive, per etcd key (six configuration keys each). Each figure comes from a child process of its own that first builds and releases the same configuration once (so one-time statics and pools are not counted), so nothing else the benchmark did can enter it. The provider's figure includes its client, connection and running watch; the dotnet-etcd figure is its hand-built dictionary alone (client closed).");
        Line(md, $"");
        Line(md, $"| keys | provider (B/key) | JSON file provider (B/key) | dotnet-etcd dictionary (B/key) | provider ÷ JSON file |");
        Line(md, $"| --- | --- | --- | --- | --- |");
        foreach (var row in rows)
        {
            Line(md, $"| {row.Keys:N0} | {Cell(row.ProviderBytesPerKey, "0")} | {Cell(row.JsonFileBytesPerKey, "0")} | {Cell(row.PeerDictionaryBytesPerKey, "0")} | {row.ProviderBytesPerKey.Median / row.JsonFileBytesPerKey.Median:0.00}× |");
        }

        Line(md, $"");
    }

    private static void Idle(StringBuilder md, IdleResult idle)
    {
        Line(md, $"## Idle");
        Line(md, $"");
        Line(md, $"{idle.Providers} providers loaded and watching, nothing changing, for {idle.WindowSeconds:0} s; every other client of the run closed. RPCs are counted by etcd itself (`grpc_server_started_total` from the member's metrics URL, before and after), so nothing the client does can escape the count; HTTP/2 keep-alive pings are not RPCs and are not counted.");
        Line(md, $"");
        var methods = idle.RpcsByMethod.Count == 0 ? "none" : string.Join(", ", idle.RpcsByMethod.Select(pair => $"{pair.Key} × {pair.Value}"));
        Line(md, $"| RPCs started | by method | CPU used by this process |");
        Line(md, $"| --- | --- | --- |");
        Line(md, $"| {idle.Rpcs} | {methods} | {idle.CpuMilliseconds:0} ms ({idle.CpuMilliseconds / idle.WindowSeconds / 10:0.00} % of one core) |");
        Line(md, $"");
    }

    private static void FanOut(StringBuilder md, FanOutResult f, PropagationResult p)
    {
        Line(md, $"## Fan-out");
        Line(md, $"");
        Line(md, $"{f.Providers} providers of one prefix in one process on one etcd (they share one client and one etcd watch of the prefix: each change arrives and is decoded once, then every provider applies it to its own data and fires its own reload), one put at a time, {f.Writes:N0} writes: the time from the put until the first and until the last of them had applied it (reload token fired).");
        Line(md, $"");
        Line(md, $"| ms from put | p50 | p99 | max |");
        Line(md, $"| --- | --- | --- | --- |");
        Line(md, $"| all {f.Providers} applied | {f.AllApplied.Median:0.000} | {f.AllApplied.P99:0.000} | {f.AllApplied.Max:0.000} |");
        Line(md, $"| first applied | {f.FirstApplied.Median:0.000} | {f.FirstApplied.P99:0.000} | {f.FirstApplied.Max:0.000} |");
        Line(md, $"| one provider (propagation above, to its reload token) | {p.ReloadToken.Median:0.000} | {p.ReloadToken.P99:0.000} | {p.ReloadToken.Max:0.000} |");
        Line(md, $"");
        Line(md, $"Providers still behind the write's revision when the last reload arrived: {f.Lagging}.");
        Line(md, $"");
    }

    private static void Notes(StringBuilder md, PropagationResult p)
    {
        Line(md, $"## Notes");
        Line(md, $"");
        Line(md, $"- **Reload token and `OnChange`.** Rebinding options asks the configuration for the children of the bound section. The provider remembers those answers until a batch adds, removes or renames a configuration key; a batch that changes values only (the usual write) rebinds without scanning. After a batch that changes the set of keys, the next rebinding scans every loaded key once, as the framework's own providers always do.");
        Line(md, $"- **Tails.** A p99 of one series of writes on a shared 2-core machine moves by about a millisecond from one series to the next, while the p50 holds, so the {p.Writes:N0} writes per variant are cut into {p.Series.Count} consecutive series (see the table under Propagation): the spread of the p99 gap between series is the run-to-run noise, and the p99 targets are judged on all the writes pooled (a p99 of 1,000 writes rests on its 10 slowest; of all of them, on many times more), with the series' range and median beside it. `OnChange` does strictly more work than the reload token (it waits for it, then rebinds). The p50 gap, {p.ReloadToken.Median - p.OurWatch.Median:+0.000;-0.000} ms to the reload token here, is what the provider adds.");
        Line(md, $"- **Burst.** Everything the watch has delivered is applied as one batch and signalled once, so a burst of writes turns into far fewer reloads; there is no debounce delay, which is why the provider reaches the final revision within about a millisecond of the last acknowledgement (or before it).");
        Line(md, $"- **Idle.** The providers hold one watch stream per client and nothing else: no RPC in the window. The CPU figure is the whole process, runtime timers and the HTTP/2 keep-alive pings (which are not RPCs) included.");
        Line(md, $"- **Cost of one changed key** is measured on the applying thread; the reload callbacks of `ConfigurationRoot` are included, `IOptionsMonitor` rebinding is not (that is the app's).");
        Line(md, $"");
    }

    private static void Method(StringBuilder md)
    {
        Line(md, $"## How it measures");
        Line(md, $"");
        Line(md, $"- Wall time with `Stopwatch`; allocations with `GC.GetTotalAllocatedBytes(precise: true)` (all threads) or `GC.GetAllocatedBytesForCurrentThread` (the applying thread); CPU with `Environment.CpuUsage` (process) or `clock_gettime(CLOCK_THREAD_CPUTIME_ID)` (thread). A full collection precedes every startup measurement.");
        Line(md, $"- Warm-up rounds (JIT, connection set-up, watch creation) run before every timed series and are not counted.");
        Line(md, $"- The targets are checked here, by a benchmark run, never by a timed unit test. Each row above says median [min – max] over the repetitions shown.");
        Line(md, $"- Release build, workstation non-concurrent GC, tiered compilation on (`dotnet run -c Release`).");
    }

    private static string Cell(Summary s, string format) =>
        string.Create(CultureInfo.InvariantCulture, $"{s.Median.ToString(format, CultureInfo.InvariantCulture)} [{s.Min.ToString(format, CultureInfo.InvariantCulture)} – {s.Max.ToString(format, CultureInfo.InvariantCulture)}]");

    private static string MiB(Summary s) => Cell(s with { Median = s.Median / 1048576, Min = s.Min / 1048576, Max = s.Max / 1048576 }, "0.00");

    private static void Line(StringBuilder md, FormattableString text) => md.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
