using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Testing;

/// <summary>
/// Waits for a condition, bounded in time: the bound only ends a wait that would otherwise hang, it never asserts
/// how fast something happened. A failed wait throws a <see cref="TimeoutException"/> that names what was awaited,
/// which every test framework reports as a failure.
/// </summary>
/// <remarks>
/// The bound is generous on purpose: on a loaded machine a condition that takes milliseconds on a developer's laptop
/// may take seconds. It is measured on a monotonic clock, so a wall-clock step neither cuts a wait short nor
/// stretches it.
/// </remarks>
public static class Eventually
{
    private static readonly TimeSpan _pollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>The bound of a wait that is given no timeout: 60 seconds.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(60);

    /// <summary>Polls <paramref name="condition"/> until it holds.</summary>
    /// <param name="condition">The condition; called again after each false answer.</param>
    /// <param name="what">What is awaited, as the end of "waiting until ..." in the failure message.</param>
    /// <param name="timeout">The bound; <see cref="DefaultTimeout"/> when null.</param>
    /// <exception cref="TimeoutException">The condition did not hold within the bound.</exception>
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return TrueAsync(() => Task.FromResult(condition()), what, timeout);
    }

    /// <summary>Polls an asynchronous <paramref name="condition"/> until it holds.</summary>
    /// <param name="condition">The condition; called again after each false answer.</param>
    /// <param name="what">What is awaited, as the end of "waiting until ..." in the failure message.</param>
    /// <param name="timeout">The bound; <see cref="DefaultTimeout"/> when null.</param>
    /// <exception cref="TimeoutException">The condition did not hold within the bound.</exception>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentException.ThrowIfNullOrEmpty(what);
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (!await condition().ConfigureAwait(false))
        {
            if (clock.Elapsed >= limit)
            {
                throw TimedOut(limit, what);
            }

            await Task.Delay(_pollInterval).ConfigureAwait(false);
        }
    }

    /// <summary>Polls <paramref name="probe"/> until it gives something other than null, and returns that.</summary>
    /// <typeparam name="T">What the probe gives.</typeparam>
    /// <param name="probe">Reads the value; called again after each null.</param>
    /// <param name="what">What is awaited, as the end of "waiting until ..." in the failure message.</param>
    /// <param name="timeout">The bound; <see cref="DefaultTimeout"/> when null.</param>
    /// <exception cref="TimeoutException">The probe gave null until the bound.</exception>
    public static async Task<T> SomeAsync<T>(Func<T?> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        T? result = null;
        await TrueAsync(() => (result = probe()) is not null, what, timeout).ConfigureAwait(false);
        return result!;
    }

    /// <summary>
    /// Waits until <paramref name="configuration"/> gives <paramref name="expected"/> at <paramref name="key"/>: the
    /// way to see a change written to etcd reach an app's configuration.
    /// </summary>
    /// <param name="configuration">The configuration to read, for example the app's <see cref="IConfigurationRoot"/>.</param>
    /// <param name="key">The configuration key (<c>:</c>-delimited).</param>
    /// <param name="expected">The value awaited; null awaits the key's removal.</param>
    /// <param name="timeout">The bound; <see cref="DefaultTimeout"/> when null.</param>
    /// <exception cref="TimeoutException">The key did not have the value within the bound; the message gives the value it had.</exception>
    public static Task ValueAsync(IConfiguration configuration, string key, string? expected, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrEmpty(key);
        return TrueAsync(
            () => configuration[key] == expected,
            $"configuration key '{key}' is '{expected ?? "<null>"}' (it is '{configuration[key] ?? "<null>"}')",
            timeout);
    }

    /// <summary>Waits for <paramref name="task"/> to finish, within the bound, and rethrows its failure.</summary>
    /// <param name="task">The task.</param>
    /// <param name="what">What is awaited, as the end of "waiting until ..." in the failure message.</param>
    /// <param name="timeout">The bound; <see cref="DefaultTimeout"/> when null.</param>
    /// <exception cref="TimeoutException">The task had not finished within the bound.</exception>
    public static async Task WithinAsync(Task task, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentException.ThrowIfNullOrEmpty(what);
        var limit = timeout ?? DefaultTimeout;
        if (await Task.WhenAny(task, Task.Delay(limit)).ConfigureAwait(false) != task)
        {
            throw TimedOut(limit, what);
        }

        await task.ConfigureAwait(false);
    }

    /// <summary>Waits for <paramref name="task"/> to finish, within the bound, and returns its result.</summary>
    /// <typeparam name="T">The task's result.</typeparam>
    /// <param name="task">The task.</param>
    /// <param name="what">What is awaited, as the end of "waiting until ..." in the failure message.</param>
    /// <param name="timeout">The bound; <see cref="DefaultTimeout"/> when null.</param>
    /// <exception cref="TimeoutException">The task had not finished within the bound.</exception>
    public static async Task<T> WithinAsync<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        await WithinAsync((Task)task, what, timeout).ConfigureAwait(false);
        return await task.ConfigureAwait(false);
    }

    private static TimeoutException TimedOut(TimeSpan limit, string what) =>
        new($"Timed out after {limit.TotalSeconds:0} s waiting until {what}.");
}
