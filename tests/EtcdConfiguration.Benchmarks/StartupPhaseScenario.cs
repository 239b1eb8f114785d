using System.Diagnostics;
using System.Globalization;
using EtcdConfiguration.Applying;
using EtcdConfiguration.Client;
using EtcdConfiguration.Mapping;
using EtcdConfiguration.Store;
using EtcdConfiguration.Sync;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// Where the provider's startup goes, phase by phase: the provider's own parts (<see cref="PrefixSnapshotReader"/>,
/// <see cref="BatchDecoder"/>, <see cref="ConfigurationStore"/>) run one after another on the measuring thread, each
/// timed on its own; beside them, in the same rotation, the whole <c>AddEtcd(...).Build()</c> (where reading and
/// decoding overlap), the previous reader's paging (pages of at most 10,000 keys) and the JSON file provider.
/// </summary>
internal static class StartupPhaseScenario
{
    public static async Task<List<StartupPhaseRow>> RunAsync(BenchContext context)
    {
        var rows = new List<StartupPhaseRow>();
        foreach (var (keys, repetitions) in Sizes(context.Settings))
        {
            var data = await context.DataSetAsync(string.Create(CultureInfo.InvariantCulture, $"n{keys}"), keys);
            var jsonFile = context.JsonFileOf(data);
            var samples = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            var requests = 0;
            var steps = new (string Name, Func<Task> Run)[]
            {
                ("phases", async () => requests = await PhasesAsync(context, data, samples)),
                ("provider", () => Whole(samples, () => new ConfigurationBuilder().AddEtcd(context.Endpoint, data.Prefix).Build())),
                ("json", () => Time(samples, StartupPhaseRow.JsonFile, () => Owned.Release(new ConfigurationBuilder().AddJsonFile(jsonFile, optional: false, reloadOnChange: false).Build()))),
                ("previous", () => TimeAsync(samples, StartupPhaseRow.PreviousReader, () => PipelineAsync(context, data, (client, mapper, onPage) => new PreviousSnapshotReader(client, mapper.PrefixBytes, mapper.RangeEnd).ReadAsync(onPage, CancellationToken.None)))),
                ("one", () => TimeAsync(samples, StartupPhaseRow.RestAtOnce, () => PipelineAsync(context, data, (client, mapper, onPage) => new PrefixSnapshotReader(client, mapper.PrefixBytes, mapper.RangeEnd).ReadAsync(onPage, CancellationToken.None)))),
                ("4mib", () => TimeAsync(samples, StartupPhaseRow.FourMiBRequests, () => PipelineAsync(context, data, (client, mapper, onPage) => new PrefixSnapshotReader(client, mapper.PrefixBytes, mapper.RangeEnd) { RequestBytes = 4 * 1024 * 1024 }.ReadAsync(onPage, CancellationToken.None)))),
            };

            // One untimed round first (JIT, first connections), then the steps rotate.
            foreach (var (_, run) in steps)
            {
                await run();
            }

            samples.Clear();
            for (var repetition = 0; repetition < repetitions; repetition++)
            {
                for (var j = 0; j < steps.Length; j++)
                {
                    Meter.Settle();
                    await steps[(repetition + j) % steps.Length].Run();
                }
            }

            var row = new StartupPhaseRow(keys, repetitions, requests, samples.ToDictionary(pair => pair.Key, pair => Summary.Of(pair.Value), StringComparer.Ordinal));
            BenchContext.Log(string.Create(
                CultureInfo.InvariantCulture,
                $"startup phases {keys:N0} keys ({requests} requests): {string.Join(", ", row.Phases.Select(pair => $"{pair.Key} {pair.Value.Median:0.0}"))} ms"));
            rows.Add(row);
        }

        return rows;
    }

    // The published sizes of 10,000 keys and up; a quick run takes its largest.
    private static IEnumerable<(int Keys, int Repetitions)> Sizes(BenchSettings settings) =>
        settings.Quick ? settings.StartupSizes.TakeLast(1) : settings.StartupSizes.Where(size => size.Keys >= 10_000).Select(size => (size.Keys, Math.Min(size.Repetitions, 11)));

    // The provider's steps in its order, each timed alone; returns how many requests the read took.
    private static async Task<int> PhasesAsync(BenchContext context, DataSet data, Dictionary<string, List<double>> samples)
    {
        var mapper = new KeyMapper(data.Prefix);
        using var client = context.NewClient();
        var pages = new List<IReadOnlyList<KeyValue>>();
        var reader = new PrefixSnapshotReader(client, mapper.PrefixBytes, mapper.RangeEnd);
        var start = Stopwatch.GetTimestamp();
        await reader.ReadAsync(pages.Add, CancellationToken.None);
        var read = Stopwatch.GetTimestamp();

        var decoder = new BatchDecoder(new KeyValueDecoder(mapper, EtcdValueFormat.Auto));
        var entries = new List<EtcdKeyChange>((int)reader.TotalKeys);
        var skipped = new List<(string Key, FormatException Failure)>();
        foreach (var page in pages)
        {
            decoder.DecodeSnapshotPage(page, entries, skipped);
        }

        var decoded = Stopwatch.GetTimestamp();
        using var store = new ConfigurationStore(mapper.Prefix);
        store.ReplaceAll(entries);
        var stored = Stopwatch.GetTimestamp();

        // What binding the first section asks: the root's children, then the section's.
        _ = store.GetChildKeys([], null);
        _ = store.GetChildKeys([], DataSet.Section(0));
        var indexed = Stopwatch.GetTimestamp();

        Add(samples, StartupPhaseRow.Range, start, read);
        Add(samples, StartupPhaseRow.Decode, read, decoded);
        Add(samples, StartupPhaseRow.Store, decoded, stored);
        Add(samples, StartupPhaseRow.ChildKeys, stored, indexed);
        return reader.Requests;
    }

    // The whole build, and how much of it the garbage collector paused.
    private static Task Whole(Dictionary<string, List<double>> samples, Func<IConfigurationRoot> build)
    {
        var paused = GC.GetTotalPauseDuration();
        var start = Stopwatch.GetTimestamp();
        var root = build();
        var end = Stopwatch.GetTimestamp();
        Add(samples, StartupPhaseRow.Provider, start, end);
        Sample(samples, StartupPhaseRow.ProviderGc).Add((GC.GetTotalPauseDuration() - paused).TotalMilliseconds);
        Owned.Release(root);
        return Task.CompletedTask;
    }

    private static Task Time(Dictionary<string, List<double>> samples, string name, Action action)
    {
        var start = Stopwatch.GetTimestamp();
        action();
        Add(samples, name, start, Stopwatch.GetTimestamp());
        return Task.CompletedTask;
    }

    private static async Task TimeAsync(Dictionary<string, List<double>> samples, string name, Func<Task> action)
    {
        var start = Stopwatch.GetTimestamp();
        await action();
        Add(samples, name, start, Stopwatch.GetTimestamp());
    }

    // The provider's load without its publish: read, decoding each page while the next is in flight, then the store.
    private static async Task PipelineAsync(BenchContext context, DataSet data, Func<EtcdClient, KeyMapper, Action<IReadOnlyList<KeyValue>>, Task<long>> read)
    {
        var mapper = new KeyMapper(data.Prefix);
        using var client = context.NewClient();
        var decoder = new BatchDecoder(new KeyValueDecoder(mapper, EtcdValueFormat.Auto));
        var entries = new List<EtcdKeyChange>();
        var skipped = new List<(string Key, FormatException Failure)>();
        await read(client, mapper, page => decoder.DecodeSnapshotPage(page, entries, skipped));
        using var store = new ConfigurationStore(mapper.Prefix);
        store.ReplaceAll(entries);
    }

    private static void Add(Dictionary<string, List<double>> samples, string name, long start, long end) =>
        Sample(samples, name).Add(Meter.Milliseconds(start, end));

    private static List<double> Sample(Dictionary<string, List<double>> samples, string name) =>
        samples.TryGetValue(name, out var list) ? list : samples[name] = [];
}
