using System.Text;

namespace EtcdConfiguration.Benchmarks;

// How each target fared in the full runs the history keeps: the run-to-run spread, measured.
internal static partial class ReportWriter
{
    private static void RunToRun(StringBuilder md, IReadOnlyList<TargetCheck> checks, IReadOnlyList<RunRecord> history)
    {
        // The history ends with this run; the earlier ones are what this run is compared with.
        var earlier = history.Count > 0 ? history.Take(history.Count - 1).Reverse().ToList() : [];
        if (earlier.Count == 0)
        {
            return;
        }

        Line(md, $"### Run to run");
        Line(md, $"");
        Line(md, $"The same targets in the {earlier.Count} full run(s) before this one (from `docs/{RunHistory.FileName}`, newest first; a run of an older harness may have named a target differently, shown as –). What each measured is in the history file.");
        Line(md, $"");
        var header = string.Concat(earlier.Select(run => $" {run.Started:MM-dd HH:mm} |"));
        Line(md, $"| target | this run |{header}");
        Line(md, $"| --- | --- |{string.Concat(earlier.Select(_ => " --- |"))}");
        foreach (var check in checks)
        {
            var cells = string.Concat(earlier.Select(run => $" {Outcome(run.Targets.FirstOrDefault(t => t.Target == check.Target))} |"));
            Line(md, $"| {check.Target} | {(check.Met ? "met" : "**missed**")} |{cells}");
        }

        Line(md, $"");
    }

    private static string Outcome(TargetOutcome? outcome) => outcome is null ? "–" : outcome.Met ? "met" : "**missed**";
}
