namespace EtcdConfiguration.Benchmarks;

/// <summary>A measured result together with the client that produced it; disposing releases the client.</summary>
internal sealed class Owned(IDisposable owner, object value) : IDisposable
{
    public object Value { get; } = value;

    public void Dispose() => owner.Dispose();

    public static void Release(object? result) => (result as IDisposable)?.Dispose();
}
