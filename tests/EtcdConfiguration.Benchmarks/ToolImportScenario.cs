using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using EtcdConfiguration.Tool.Cli;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// <c>etcd-config import</c> of a 10,000-key appsettings file into an empty prefix, run in process (the command's own
/// work: read the file, read the prefix, plan, verify, write in guarded transactions; no .NET startup). Part of the
/// full run; on its own: <c>bash eng/bench.sh --only tool-import</c>.
/// </summary>
internal static class ToolImportScenario
{
    /// <summary>Timed runs, after one warm-up.</summary>
    public const int Runs = 7;

    public const int Keys = 10_000;

    /// <summary>Imports the file into a new prefix per run (/bench/import-N/) of the etcd at <paramref name="endpoints"/>.</summary>
    public static async Task<ToolImportResult> MeasureAsync(string endpoints, int runs)
    {
        var file = Path.Combine(Path.GetTempPath(), $"etcd-config-bench-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, Document());
        try
        {
            // The first run pays for JIT and the first connection; it is shown but not counted.
            var times = new List<double>();
            var summary = string.Empty;
            for (int run = 0; run <= runs; run++)
            {
                var output = new StringWriter();
                var context = new ToolContext { Out = output, Err = output, Environment = _ => null };
                var clock = Stopwatch.StartNew();
                var code = await EtcdConfigCli.RunAsync(["--endpoints", endpoints, "--prefix", $"/bench/import-{run}/", "import", file], context);
                var elapsed = clock.Elapsed.TotalMilliseconds;
                if (code != 0)
                {
                    BenchContext.Log($"etcd-config import failed with exit code {code}: {output}");
                    return new ToolImportResult(Keys, Summary.Of([]), string.Empty, Failed: true);
                }

                summary = ToolSummary(output.ToString());
                BenchContext.Log(string.Create(CultureInfo.InvariantCulture, $"import of {Keys:N0} keys, run {run}{(run == 0 ? " (warm-up)" : string.Empty)}: {elapsed:0} ms; {summary}"));
                if (run > 0)
                {
                    times.Add(elapsed);
                }
            }

            var result = new ToolImportResult(Keys, Summary.Of(times), summary, Failed: false);
            BenchContext.Log(string.Create(CultureInfo.InvariantCulture, $"import of {Keys:N0} keys over {runs} runs: median {result.Milliseconds.Median:0} ms, min {result.Milliseconds.Min:0} ms, max {result.Milliseconds.Max:0} ms"));
            return result;
        }
        finally
        {
            File.Delete(file);
        }
    }

    // The command's summary without the temporary file's path and the revision: "wrote 10000 etcd keys ... in 79 transactions; ...".
    private static string ToolSummary(string output)
    {
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(l => l.Contains('→', StringComparison.Ordinal)) ?? string.Empty;
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        return Regex.Replace(colon < 0 ? line : line[(colon + 2)..], @" \(now at revision \d+\)", string.Empty);
    }

    // Sections of ten settings each, with the value sizes of ordinary settings.
    private static string Document()
    {
        var json = new StringBuilder("{");
        for (int section = 0; section < Keys / 10; section++)
        {
            json.Append(section == 0 ? string.Empty : ",").Append(CultureInfo.InvariantCulture, $"\"Section{section}\": {{");
            for (int key = 0; key < 10; key++)
            {
                json.Append(key == 0 ? string.Empty : ",").Append(CultureInfo.InvariantCulture, $"\"Setting{key}\": \"value-{section}-{key}-{new string('x', 24)}\"");
            }

            json.Append('}');
        }

        return json.Append('}').ToString();
    }
}
