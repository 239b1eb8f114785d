namespace EtcdConfiguration.Benchmarks;

/// <summary>One write seen by <see cref="Providers"/> providers in one process: milliseconds until the first and until all had applied it.</summary>
internal sealed record FanOutResult(int Providers, int Writes, Summary AllApplied, Summary FirstApplied, int Lagging);
