namespace EtcdConfiguration.Client.Internal.Resilience;

/// <summary>
/// A stream loop's count of reconnects since its stream last worked, with the policy's delay for the next one.
/// Only the loop that owns it touches it.
/// </summary>
internal sealed class ReconnectBackoff(EtcdRetryPolicy policy)
{
    /// <summary>How many reconnects were made since the last success.</summary>
    public int Attempt { get; private set; }

    /// <summary>The delay before the next reconnect; counts it.</summary>
    public TimeSpan Next() => policy.GetDelay(Attempt++);

    /// <summary>
    /// The delay before a reconnect whose first try should go at once (a renewed token needs no pause); later
    /// ones back off as <see cref="Next"/> does, one step behind. Counts it.
    /// </summary>
    public TimeSpan NextImmediateFirst() => Attempt++ == 0 ? TimeSpan.Zero : policy.GetDelay(Attempt - 2);

    /// <summary>The stream worked: the next failure waits the shortest delay again.</summary>
    public void Reset() => Attempt = 0;

    /// <summary>Waits <paramref name="delay"/> on the policy's clock.</summary>
    public Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, policy.TimeProvider, cancellationToken);
}
