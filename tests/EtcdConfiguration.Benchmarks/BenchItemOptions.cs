namespace EtcdConfiguration.Benchmarks;

/// <summary>The options type an app binds one seeded object to; propagation waits for its OnChange.</summary>
internal sealed class BenchItemOptions
{
    public string? Name { get; set; }

    public bool Enabled { get; set; }

    public int Weight { get; set; }

    public IList<string> Tags { get; } = new List<string>();

    public Uri? Url { get; set; }
}
