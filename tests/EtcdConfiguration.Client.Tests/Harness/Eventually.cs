namespace EtcdConfiguration.Client.Tests.Harness;

/// <summary>Waits for a condition, bounded in time; never a timing assertion.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out after {seconds} s waiting until {what}.");
            await Task.Delay(20);
        }
    }
}
