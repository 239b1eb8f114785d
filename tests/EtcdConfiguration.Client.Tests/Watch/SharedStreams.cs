using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Client.Tests.Watch;

/// <summary>Checks that a client shares one stream among its watches or keep-alives.</summary>
internal static class SharedStreams
{
    /// <summary>
    /// Asserts that the client opened <paramref name="expected"/> streams, plus at most one more for every break of
    /// a stream it logged: on a loaded machine a stream may break and be opened again, which is no second stream.
    /// A client that opened a stream per watch or per lease fails this.
    /// </summary>
    /// <param name="expected">Streams the test itself causes to be opened.</param>
    /// <param name="opened">The client's count of opened streams.</param>
    /// <param name="logs">The client's log.</param>
    /// <param name="stream">The stream as its break warning names it: "watch" or "lease keep-alive".</param>
    public static void AssertOpened(int expected, Func<int> opened, FakeLogCollector logs, string stream)
    {
        // Read before the breaks: the client logs a break before it opens the next stream.
        var count = opened();
        // The first break of an outage is a Warning, the later attempts Debug lines: count both.
        var breaks = logs.GetSnapshot().Count(e =>
            e.Level is LogLevel.Warning or LogLevel.Debug
            && e.Message.Contains($"etcd {stream} stream on ", StringComparison.Ordinal)
            && e.Message.Contains(" broke (", StringComparison.Ordinal));
        Assert.True(
            count >= expected && count <= expected + breaks,
            $"The client opened {count} {stream} stream(s); expected {expected}, plus at most one per logged break ({breaks}).");
    }
}
