namespace EtcdConfiguration.Benchmarks;

/// <summary>Bytes retained per loaded etcd key (six configuration keys each), by the provider and by the baselines.</summary>
internal sealed record MemoryRow(int Keys, Summary ProviderBytesPerKey, Summary JsonFileBytesPerKey, Summary PeerDictionaryBytesPerKey);
