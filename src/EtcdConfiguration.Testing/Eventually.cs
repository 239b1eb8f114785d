using System.Diagnostics;

namespace EtcdConfiguration.Client.Tests.Harness;

/// <summary>Waits for a condition, bounded in time; never a timing assertion.</summary>
/// <remarks>
/// The bounds are generous on purpose: the suite runs on a loaded two-core machine next to another test project,
/// where a condition that takes milliseconds here may take seconds. A bound only decides when to give up.
/// </remarks>
internal static class Eventually
{
    public const int DefaultSeconds = 30;

    public static Task TrueAsync(Func<bool> condition, string what, int seconds = DefaultSeconds) =>
        TrueAsync(() => Task.FromResult(condition()), what, seconds);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what, int seconds = DefaultSeconds)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(seconds), $"Timed out after {seconds} s waiting until {what}.");
            await Task.Delay(20);
        }
    }

    /// <summary>Waits until <paramref name="read"/> gives a value other than null, and returns that value.</summary>
    public static async Task<T> ValueAsync<T>(Func<T?> read, string what, int seconds = DefaultSeconds)
        where T : class
    {
        T? value = null;
        await TrueAsync(() => (value = read()) is not null, what, seconds);
        return value!;
    }
}
