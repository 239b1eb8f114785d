namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// What applying one changed key costs the provider with <see cref="LoadedKeys"/> keys loaded: wall time and
/// CPU time in microseconds and bytes allocated, on the applying thread, per batch of one event.
/// </summary>
internal sealed record ChangeCostRow(int LoadedKeys, Summary Microseconds, Summary CpuMicroseconds, Summary AllocatedBytes, int ContentDifferences);
