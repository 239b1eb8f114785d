using EtcdConfiguration.Monitoring;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EtcdConfiguration.Tests.Outages;

/// <summary>How loud an outage is, on a fake clock: one Warning, Debug per retry, a summary at most every minute, one recovery line.</summary>
public sealed class OutageLogTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new();
    private readonly FakeLogCollector _logs = new();
    private readonly ILoggerFactory _factory;
    private readonly OutageLog _outage;

    public OutageLogTests()
    {
        _factory = _logs.CreateFactory();
        _outage = new OutageLog("/app/", _factory.CreateLogger("test"), () => _clock);
    }

    public void Dispose()
    {
        _factory.Dispose();
    }

    [Fact]
    public void A_ten_minute_outage_with_a_retry_every_two_seconds_writes_one_warning_a_summary_a_minute_and_one_recovery()
    {
        for (var elapsed = TimeSpan.Zero; elapsed <= TimeSpan.FromMinutes(10); elapsed += TimeSpan.FromSeconds(2))
        {
            _outage.Failed("etcd Range on http://127.0.0.1:2379 failed: connection refused (status Unavailable).", revision: 7);
            _clock.Advance(TimeSpan.FromSeconds(2));
        }

        Assert.True(_outage.Recovered(revision: 9));

        var warning = Assert.Single(Lines(LogLevel.Warning));
        Assert.Contains("'/app/'", warning, StringComparison.Ordinal);
        Assert.Contains("connection refused (status Unavailable). Serving revision 7", warning, StringComparison.Ordinal);
        Assert.Equal(290, Lines(LogLevel.Debug).Count);
        var summaries = Lines(LogLevel.Information).Where(l => l.Contains("still reconnecting", StringComparison.Ordinal)).ToList();
        Assert.Equal(10, summaries.Count);
        Assert.Contains("31 attempts over 60 s", summaries[0], StringComparison.Ordinal);
        Assert.Contains("61 attempts over 120 s", summaries[1], StringComparison.Ordinal);
        var recovery = Assert.Single(Lines(LogLevel.Information), l => l.Contains("live again", StringComparison.Ordinal));
        Assert.Contains("revision 9", recovery, StringComparison.Ordinal);
        Assert.Contains("after 301 failed attempt(s) over 602 s", recovery, StringComparison.Ordinal);
        Assert.Empty(Lines(LogLevel.Error));
    }

    [Fact]
    public void A_recovery_is_logged_once_and_only_after_an_outage()
    {
        Assert.False(_outage.Recovered(revision: 1));
        _outage.Failed("refused.", revision: 1);
        Assert.True(_outage.Active);

        Assert.True(_outage.Recovered(revision: 2));
        Assert.False(_outage.Recovered(revision: 2));

        Assert.False(_outage.Active);
        Assert.Single(Lines(LogLevel.Information));
    }

    [Fact]
    public void The_next_outage_warns_again_and_counts_from_one()
    {
        _outage.Failed("first.", revision: 1);
        _outage.Failed("first again.", revision: 1);
        _outage.Recovered(revision: 2);
        _clock.Advance(TimeSpan.FromMinutes(5));

        _outage.Failed("second.", revision: 2);
        _clock.Advance(TimeSpan.FromSeconds(3));
        _outage.Recovered(revision: 3);

        Assert.Equal(2, Lines(LogLevel.Warning).Count);
        Assert.Contains("after 1 failed attempt(s) over 3 s", Lines(LogLevel.Information)[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_failure_the_caller_already_logged_as_a_warning_starts_the_outage_without_another()
    {
        _outage.Failed("the first load failed.", revision: 0, alreadyWarned: true);
        _outage.Failed("a background retry failed.", revision: 0);

        Assert.Empty(Lines(LogLevel.Warning));
        Assert.Single(Lines(LogLevel.Debug));
        Assert.True(_outage.Recovered(revision: 5));
    }

    private List<string> Lines(LogLevel level) =>
        _logs.Lines.Where(l => l.StartsWith(level + " ", StringComparison.Ordinal)).ToList();
}
