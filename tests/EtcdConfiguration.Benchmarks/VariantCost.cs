namespace EtcdConfiguration.Benchmarks;

/// <summary>The repeated costs of one variant (ours or a baseline), summarised.</summary>
internal sealed record VariantCost(Summary Milliseconds, Summary AllocatedBytes, Summary CpuMilliseconds)
{
    public static VariantCost Of(IReadOnlyCollection<Cost> costs) => new(
        Summary.Of(costs.Select(c => c.Milliseconds)),
        Summary.Of(costs.Select(c => (double)c.AllocatedBytes)),
        Summary.Of(costs.Select(c => c.CpuMilliseconds)));
}
