namespace EtcdConfiguration.Client.Tests.Watch;

/// <summary>Watch-specific reading on top of <see cref="StreamProbe{T}"/>.</summary>
internal static class WatchProbeExtensions
{
    /// <summary>Starts a watch in the background and waits for its created response.</summary>
    public static async Task<StreamProbe<WatchResponse>> StartWatchAsync(this WatchClient watch, string key, WatchOptions? options = null)
    {
        var probe = new StreamProbe<WatchResponse>(ct => watch.WatchAsync(key, options, ct));
        var created = await probe.NextAsync();
        Assert.True(created.Created, "The first response of a watch confirms its creation.");
        Assert.Empty(created.Events);
        return probe;
    }

    /// <summary>Reads responses until <paramref name="count"/> events came; fails on progress notifications only if asked.</summary>
    public static async Task<List<WatchEvent>> EventsAsync(this StreamProbe<WatchResponse> probe, int count, int seconds = 30)
    {
        var events = new List<WatchEvent>();
        while (events.Count < count)
        {
            var response = await probe.NextAsync(seconds);
            Assert.False(response.Created);
            events.AddRange(response.Events);
        }

        Assert.Equal(count, events.Count);
        return events;
    }
}
