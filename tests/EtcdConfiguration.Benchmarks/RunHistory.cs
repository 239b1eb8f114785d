using System.Text.Json;

namespace EtcdConfiguration.Benchmarks;

/// <summary>One target's outcome in one run, as the history keeps it.</summary>
internal sealed record TargetOutcome(string Target, string Measured, bool Met);

/// <summary>One full run's targets, kept so the page can show how each target fared from run to run.</summary>
internal sealed record RunRecord(DateTimeOffset Started, string LoadBefore, IReadOnlyList<TargetOutcome> Targets);

/// <summary>
/// The targets of the last few full runs, in <c>benchmark-history.json</c> beside the page: every full run adds
/// itself, so the run-to-run spread of a figure is measured, not remembered.
/// </summary>
internal static class RunHistory
{
    public const string FileName = "benchmark-history.json";

    /// <summary>How many runs the file keeps, the newest last.</summary>
    public const int Kept = 8;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>The runs recorded so far, oldest first; none if the file is missing or unreadable.</summary>
    public static List<RunRecord> Load(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<List<RunRecord>>(File.ReadAllText(path), JsonOptions) ?? [] : [];
        }
        catch (JsonException ex)
        {
            BenchContext.Log($"WARNING: {path} is not a run history ({ex.Message}); starting a new one.");
            return [];
        }
    }

    /// <summary>The history with this run (its start, load and <paramref name="checks"/>) added, the oldest dropped beyond <see cref="Kept"/>.</summary>
    public static List<RunRecord> With(List<RunRecord> history, BenchResults results, IReadOnlyList<TargetCheck> checks)
    {
        var run = new RunRecord(results.Started, results.LoadBefore, [.. checks.Select(c => new TargetOutcome(c.Target, c.Measured, c.Met))]);
        return [.. history.Append(run).TakeLast(Kept)];
    }

    public static Task SaveAsync(string path, List<RunRecord> history) =>
        File.WriteAllTextAsync(path, JsonSerializer.Serialize(history, JsonOptions) + "\n");
}
