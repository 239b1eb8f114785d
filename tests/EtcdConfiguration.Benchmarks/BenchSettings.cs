namespace EtcdConfiguration.Benchmarks;

/// <summary>The counts of one run: the full run the docs publish, or a quick smoke run with small counts.</summary>
internal sealed record BenchSettings
{
    public bool Quick { get; init; }

    public string OutputDirectory { get; init; } = Path.Combine("artifacts", "bench");

    /// <summary>The scenarios <c>--only</c> accepts: each logged and not written, to check one change in minutes.</summary>
    public static readonly string[] SingleScenarios = ["startup", "change-cost", "fan-out", "scale", "tool-import"];

    /// <summary>
    /// With <c>--only &lt;scenario&gt;</c>: that scenario alone (one of <see cref="SingleScenarios"/>), logged and not
    /// written; the fan-out scenario then also measures providers that each watch on their own, for comparison.
    /// </summary>
    public string? Only { get; init; }

    /// <summary>Independent app instances per variant in the scale scenario (and as many floor clients).</summary>
    public int ScaleInstances { get; init; } = 1_000;

    /// <summary>Child processes the instances of one variant are spread over.</summary>
    public int ScaleProcesses { get; init; } = 4;

    public int ScaleKeys { get; init; } = 20;

    public int ScaleWrites { get; init; } = 100;

    public int ScaleWarmupRounds { get; init; } = 5;

    public IReadOnlyList<(int Keys, int Repetitions)> StartupSizes { get; init; } = [(1_000, 21), (10_000, 21), (100_000, 5)];

    /// <summary>
    /// Untimed rounds of every startup variant at the smallest size before any is timed: enough calls for the runtime
    /// to finish compiling each variant's code at full optimisation (tiered compilation promotes a method after 30
    /// calls), so no variant is timed while its code is still being promoted.
    /// </summary>
    public int StartupWarmUpRounds { get; init; } = 40;

    public int PropagationKeys { get; init; } = 10_000;

    /// <summary>Writes per variant in all, cut into <see cref="PropagationSeries"/> consecutive series.</summary>
    public int PropagationWrites { get; init; } = 8_000;

    /// <summary>How many series the propagation writes are cut into; the range of their p99s is the noise the pooled p99 targets are read against.</summary>
    public int PropagationSeries { get; init; } = 8;

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
            else if (args[i] == "--only" && i + 1 < args.Length && SingleScenarios.Contains(args[i + 1]))
            {
                settings = settings with { Only = args[++i] };
            }
            else if (args[i] != "--quick")
            {
                throw new ArgumentException($"Unknown argument '{args[i]}'. Use [--quick] [--only {string.Join(" | ", SingleScenarios)}] [--out <directory>].", nameof(args));
            }
        }

        return settings;
    }

    private static BenchSettings QuickRun => new()
    {
        Quick = true,
        StartupSizes = [(1_000, 3), (5_000, 3)],
        StartupWarmUpRounds = 2,
        PropagationKeys = 2_000,
        PropagationWrites = 100,
        PropagationSeries = 2,
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
        ScaleInstances = 100,
        ScaleProcesses = 2,
        ScaleWrites = 20,
        ScaleWarmupRounds = 2,
    };
}
