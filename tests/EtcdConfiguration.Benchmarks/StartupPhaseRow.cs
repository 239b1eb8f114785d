namespace EtcdConfiguration.Benchmarks;

/// <summary>The provider's startup with <see cref="Keys"/> etcd keys, phase by phase (ms), beside the whole and the JSON file provider.</summary>
internal sealed record StartupPhaseRow(int Keys, int Repetitions, int Requests, IReadOnlyDictionary<string, Summary> Phases)
{
    public const string Range = "range";
    public const string PreviousReader = "read, decode, store: previous reader";
    public const string RestAtOnce = "read, decode, store: rest in one request";
    public const string FourMiBRequests = "read, decode, store: requests of 4 MiB";
    public const string Decode = "decode and map";
    public const string Store = "store insert";
    public const string ChildKeys = "first GetChildKeys";
    public const string Provider = "provider Build()";
    public const string ProviderGc = "provider Build(): GC pauses";
    public const string JsonFile = "JSON file provider";

    public double Median(string phase) => Phases.TryGetValue(phase, out var summary) ? summary.Median : double.NaN;
}
