namespace EtcdConfiguration.Benchmarks;

/// <summary>Startup with <see cref="Keys"/> etcd keys: our provider and each baseline, measured in the same run.</summary>
internal sealed record StartupRow(int Keys, int ConfigurationKeys, VariantCost Provider, VariantCost Peer, VariantCost RawRange, VariantCost JsonFile, int ContentDifferences);
