using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// The whole run: start etcd, run every scenario in one process (the order keeps the memory and startup figures
/// free of other live clients), then write the Markdown page, the chart and the raw results.
/// </summary>
internal static class BenchmarkRun
{
    private const string ChartFile = "propagation-cdf.png";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var settings = BenchSettings.Parse(args);
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var loadBefore = MachineInfo.LoadAverage();
        BenchContext.Log($"{(settings.Quick ? "quick" : "full")} run; load average {loadBefore}; writing to {Path.GetFullPath(settings.OutputDirectory)}");
        var machine = await MachineInfo.ReadAsync();

        if (settings.Only is { } only)
        {
            await RunSingleAsync(only, settings);
            BenchContext.Log(string.Create(CultureInfo.InvariantCulture, $"{only} only, done in {clock.Elapsed.TotalMinutes:0.0} min; load average {MachineInfo.LoadAverage()}"));
            return 0;
        }

        BenchResults results;
        await using (var context = await BenchContext.StartAsync(settings))
        {
            BenchContext.Log($"etcd {machine.Etcd} at {context.Endpoint}");
            var startup = await StartupScenario.RunAsync(context);
            var startupPhases = await StartupPhaseScenario.RunAsync(context);
            var memory = await MemoryScenario.RunAsync(context);
            var changeCost = await ChangeCostScenario.RunAsync(context);
            var (propagation, propagationProvider) = await PropagationScenario.RunAsync(context);
            var burst = await BurstScenario.RunAsync(context);
            var (fanOut, fanOutProviders) = await FanOutScenario.RunAsync(context);
            var idle = await IdleScenario.RunAsync(context, providers: settings.FanOutProviders + 1);
            var toolImport = await ToolImportScenario.MeasureAsync(context.Endpoint, settings.Quick ? 2 : ToolImportScenario.Runs);
            propagationProvider.Dispose();
            foreach (var provider in fanOutProviders)
            {
                provider.Dispose();
            }

            var scale = await ScaleScenario.RunAsync(settings);

            results = new BenchResults(
                settings.Quick,
                started,
                clock.Elapsed.TotalMinutes,
                machine,
                loadBefore,
                MachineInfo.LoadAverage(),
                startup,
                startupPhases,
                memory,
                changeCost,
                propagation,
                burst,
                fanOut,
                idle,
                scale,
                toolImport);
        }

        Directory.CreateDirectory(settings.OutputDirectory);
        var checks = TargetCheck.Evaluate(results);
        CdfChart.Save(results.Propagation, Path.Combine(settings.OutputDirectory, ChartFile));
        var historyFile = Path.Combine(settings.OutputDirectory, RunHistory.FileName);
        var history = RunHistory.With(settings.Quick ? [] : RunHistory.Load(historyFile), results, checks);
        if (!settings.Quick)
        {
            await RunHistory.SaveAsync(historyFile, history);
        }

        await File.WriteAllTextAsync(Path.Combine(settings.OutputDirectory, "benchmarks.md"), ReportWriter.Render(results, checks, history, ChartFile));
        await File.WriteAllTextAsync(
            Path.Combine(settings.OutputDirectory, "benchmark-results.json"),
            JsonSerializer.Serialize(results, JsonOptions) + "\n");

        foreach (var check in checks)
        {
            BenchContext.Log($"{(check.Met ? "met   " : "MISSED")} {check.Target}: {check.Measured}");
        }

        BenchContext.Log(string.Create(CultureInfo.InvariantCulture, $"done in {clock.Elapsed.TotalMinutes:0.0} min; load average {MachineInfo.LoadAverage()}"));
        return 0;
    }

    private static async Task RunSingleAsync(string scenario, BenchSettings settings)
    {
        if (scenario == "scale")
        {
            await ScaleScenario.RunAsync(settings);
            return;
        }

        await using var context = await BenchContext.StartAsync(settings);
        switch (scenario)
        {
            case "startup":
                await StartupScenario.RunAsync(context);
                await StartupPhaseScenario.RunAsync(context);
                break;
            case "change-cost":
                await ChangeCostScenario.RunAsync(context);
                break;
            case "tool-import":
                await ToolImportScenario.MeasureAsync(context.Endpoint, ToolImportScenario.Runs);
                break;
            default:
                var (_, roots) = await FanOutScenario.RunAsync(context);
                roots.ForEach(root => root.Dispose());
                break;
        }
    }
}
