namespace EtcdConfiguration.Tests.Resilience;

/// <summary>Waits for a condition, checking it often, bounded by a timeout that only limits the wait.</summary>
internal static class Poll
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }

    public static async Task<T> UntilAsync<T>(Func<T?> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        T? result = null;
        await UntilAsync(() => (result = probe()) is not null, what, timeout);
        return result!;
    }
}
