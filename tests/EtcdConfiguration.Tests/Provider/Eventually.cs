using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tests.Provider;

/// <summary>
/// Waits for conditions, bounded in time; the bound only ends a wait that would otherwise hang. The bound is
/// measured on a monotonic clock, so a wall-clock step neither cuts a wait short nor stretches it.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> after the timeout.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < limit, $"Timed out after {limit.TotalSeconds:0} s waiting until {what}.");
            await Task.Delay(10);
        }
    }

    /// <summary>Polls an asynchronous <paramref name="condition"/> until it holds.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < limit, $"Timed out after {limit.TotalSeconds:0} s waiting until {what}.");
            await Task.Delay(10);
        }
    }

    /// <summary>Polls <paramref name="probe"/> until it gives something, and returns that.</summary>
    public static async Task<T> SomeAsync<T>(Func<T?> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        T? result = null;
        await TrueAsync(() => (result = probe()) is not null, what, timeout);
        return result!;
    }

    /// <summary>Waits until <paramref name="configuration"/> gives <paramref name="expected"/> at <paramref name="key"/>.</summary>
    public static Task ValueAsync(IConfiguration configuration, string key, string? expected, TimeSpan? timeout = null) =>
        TrueAsync(() => configuration[key] == expected, $"configuration key '{key}' is '{expected ?? "<null>"}' (it is '{configuration[key] ?? "<null>"}')", timeout);

    /// <summary>
    /// Waits until the provider's <see cref="EtcdConfigurationProvider.Status"/> has caught up with the data it
    /// serves now. The data (and <see cref="EtcdConfigurationProvider.Revision"/>) changes first; status and metrics
    /// follow, so a test that saw a value must wait for this before it checks them.
    /// </summary>
    public static Task StatusCaughtUpAsync(EtcdConfigurationProvider provider, TimeSpan? timeout = null)
    {
        var revision = provider.Revision;
        return TrueAsync(() => provider.Status.Revision >= revision, $"the provider's status reaches revision {revision}, as its data did", timeout);
    }

    /// <summary>Waits for <paramref name="task"/>, failing naming <paramref name="what"/> after the timeout.</summary>
    public static async Task WithinAsync(Task task, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        if (await Task.WhenAny(task, Task.Delay(limit)) != task)
        {
            Assert.Fail($"Timed out after {limit.TotalSeconds:0} s waiting until {what}.");
        }

        await task;
    }

    /// <summary>Waits for <paramref name="task"/>, failing naming <paramref name="what"/> after the timeout.</summary>
    public static async Task<T> WithinAsync<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        await WithinAsync((Task)task, what, timeout);
        return await task;
    }
}
