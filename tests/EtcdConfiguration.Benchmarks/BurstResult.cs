namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// A burst of <see cref="Writes"/> puts with <see cref="LoadedKeys"/> keys loaded: the milliseconds from the last
/// put's acknowledgement until the provider held etcd's final revision (negative: it got there before the
/// writer heard the last ack), the reloads fired per burst, and how long sending took.
/// </summary>
internal sealed record BurstResult(
    int LoadedKeys,
    int Writes,
    int Concurrency,
    Summary ConvergeMilliseconds,
    Summary Reloads,
    Summary SendMilliseconds,
    int Bursts,
    int ExactBursts);
