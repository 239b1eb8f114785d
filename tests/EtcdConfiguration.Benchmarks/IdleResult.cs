namespace EtcdConfiguration.Benchmarks;

/// <summary>RPCs etcd saw and CPU this process used while <see cref="Providers"/> providers sat idle.</summary>
internal sealed record IdleResult(int Providers, double WindowSeconds, long Rpcs, IReadOnlyDictionary<string, long> RpcsByMethod, double CpuMilliseconds);
