namespace EtcdConfiguration.Benchmarks;

/// <summary>The counts of one run: the full run the docs publish, or a quick smoke run with small counts.</summary>
internal sealed record BenchSettings
{
    public bool Quick { get; init; }

    public string OutputDirectory { get; init; } = Path.Combine("artifacts", "bench");

    /// <summary>
    /// With <c>--change-cost-only</c>: only <see cref="ChangeCostScenario"/>, logged and not written, to check one
    /// change of the apply path against its baseline in minutes rather than a whole run.
    /// </summary>
    public bool ChangeCostOnly { get; init; }

    /// <summary>
    /// With <c>--startup-only</c>: only <see cref="StartupScenario"/> and <see cref="StartupPhaseScenario"/>, logged and
    /// not written, to compare a change of the load path in minutes rather than a whole run.
    /// </summary>
    public bool StartupOnly { get; init; }

    public IReadOnlyList<(int Keys, int Repetitions)> StartupSizes { get; init; } = [(1_000, 21), (10_000, 21), (100_000, 5)];

    public int PropagationKeys { get; init; } = 10_000;

    public int PropagationWrites { get; init; } = 2_000;

    public IReadOnlyList<int> ChangeCostSizes { get; init; } = [1_000, 10_000, 100_000];

    public int ChangeCostRepetitions { get; init; } = 300;

    public int BurstKeys { get; init; } = 10_000;

    public int BurstWrites { get; init; } = 10_000;

    public int BurstRepetitions { get; init; } = 5;

    /// <summary>Puts in flight at once during a burst: as fast as one client sends.</summary>
    public int BurstConcurrency { get; init; } = 64;

    public IReadOnlyList<int> MemorySizes { get; init; } = [10_000, 100_000];

    public int MemoryRepetitions { get; init; } = 3;

    public TimeSpan IdleWindow { get; init; } = TimeSpan.FromSeconds(60);

    public int FanOutProviders { get; init; } = 200;

    public int FanOutKeys { get; init; } = 100;

    public int FanOutWrites { get; init; } = 300;

    /// <summary>Untimed rounds before each timed series, so JIT and connection setup stay out of the figures.</summary>
    public int WarmupRounds { get; init; } = 30;

    public static BenchSettings Parse(string[] args)
    {
        var settings = args.Contains("--quick") ? QuickRun : new BenchSettings();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--out" && i + 1 < args.Length)
            {
                settings = settings with { OutputDirectory = args[++i] };
            }
            else if (args[i] == "--change-cost-only")
            {
                settings = settings with { ChangeCostOnly = true };
            }
            else if (args[i] == "--startup-only")
            {
                settings = settings with { StartupOnly = true };
            }
            else if (args[i] != "--quick")
            {
                throw new ArgumentException($"Unknown argument '{args[i]}'. Use [--quick] [--change-cost-only | --startup-only] [--out <directory>].", nameof(args));
            }
        }

        return settings;
    }

    private static BenchSettings QuickRun => new()
    {
        Quick = true,
        StartupSizes = [(1_000, 3), (5_000, 3)],
        PropagationKeys = 2_000,
        PropagationWrites = 100,
        ChangeCostSizes = [1_000, 5_000, 20_000],
        ChangeCostRepetitions = 50,
        BurstKeys = 2_000,
        BurstWrites = 2_000,
        BurstRepetitions = 2,
        MemorySizes = [5_000],
        MemoryRepetitions = 1,
        IdleWindow = TimeSpan.FromSeconds(5),
        FanOutProviders = 20,
        FanOutKeys = 20,
        FanOutWrites = 30,
        WarmupRounds = 5,
    };
}
