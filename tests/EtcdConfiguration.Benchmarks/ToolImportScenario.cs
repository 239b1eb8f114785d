using System.Diagnostics;
using System.Globalization;
using System.Text;
using EtcdConfiguration.Testing;
using EtcdConfiguration.Tool.Cli;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// <c>etcd-config import</c> of a 10,000-key appsettings file into an empty prefix of a local single-member etcd,
/// run in process (the command's own work: read the file, read the prefix, plan, verify, write in guarded
/// transactions; no .NET startup). Run on its own: <c>dotnet run -c Release --project tests/EtcdConfiguration.Benchmarks -- --tool-import</c>.
/// </summary>
internal static class ToolImportScenario
{
    public const string Flag = "--tool-import";

    private const int Keys = 10_000;
    private const int Runs = 7;

    public static async Task<int> RunAsync()
    {
        await using var cluster = await EtcdCluster.StartAsync();
        var file = Path.Combine(Path.GetTempPath(), $"etcd-config-bench-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, Document());
        try
        {
            // The first run pays for JIT and the first connection; it is shown but not counted.
            var times = new List<double>();
            for (int run = 0; run <= Runs; run++)
            {
                var output = new StringWriter();
                var context = new ToolContext { Out = output, Err = output, Environment = _ => null };
                var clock = Stopwatch.StartNew();
                var code = await EtcdConfigCli.RunAsync(["--endpoints", cluster.Endpoints, "--prefix", $"/bench/{run}/", "import", file], context);
                var elapsed = clock.Elapsed.TotalMilliseconds;
                if (code != 0)
                {
                    Console.Error.WriteLine(output);
                    return 1;
                }

                BenchContext.Log(string.Create(CultureInfo.InvariantCulture, $"import of {Keys:N0} keys, run {run}{(run == 0 ? " (warm-up)" : string.Empty)}: {elapsed:0} ms; {output.ToString().Trim().Split('\n')[^2]}"));
                if (run > 0)
                {
                    times.Add(elapsed);
                }
            }

            times.Sort();
            BenchContext.Log(string.Create(CultureInfo.InvariantCulture, $"import of {Keys:N0} keys over {Runs} runs: median {times[Runs / 2]:0} ms, min {times[0]:0} ms, max {times[^1]:0} ms"));
            return 0;
        }
        finally
        {
            File.Delete(file);
        }
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
