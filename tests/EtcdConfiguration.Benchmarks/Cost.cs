namespace EtcdConfiguration.Benchmarks;

/// <summary>What one measured operation took: wall time, bytes allocated (all threads) and process CPU time.</summary>
internal readonly record struct Cost(double Milliseconds, long AllocatedBytes, double CpuMilliseconds);
