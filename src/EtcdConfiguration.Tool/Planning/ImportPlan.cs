using EtcdConfiguration.Mapping;
using EtcdConfiguration.Tool.Etcd;

namespace EtcdConfiguration.Tool.Planning;

/// <summary>An import's writes, how many etcd keys it leaves alone or deletes, and what the provider will read after it.</summary>
internal sealed record ImportPlan(WritePlan Write, int Unchanged, int Deleted, ConfigurationView After)
{
    public int Written => Write.Writes.Count(w => !w.IsDelete);
}
