namespace EtcdConfiguration.Benchmarks;

/// <summary>Everything one run measured, written as JSON beside the Markdown report.</summary>
internal sealed record BenchResults(
    bool Quick,
    DateTimeOffset Started,
    double DurationMinutes,
    MachineInfo Machine,
    string LoadBefore,
    string LoadAfter,
    IReadOnlyList<StartupRow> Startup,
    IReadOnlyList<StartupPhaseRow> StartupPhases,
    IReadOnlyList<MemoryRow> Memory,
    IReadOnlyList<ChangeCostRow> ChangeCost,
    PropagationResult Propagation,
    BurstResult Burst,
    FanOutResult FanOut,
    IdleResult Idle,
    ScaleResult Scale,
    ToolImportResult ToolImport);
