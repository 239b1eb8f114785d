using EtcdConfiguration.Client.Concurrency;
using Microsoft.Extensions.Time.Testing;

namespace EtcdConfiguration.Client.Tests.Concurrency;

/// <summary>The session's own clock on its lease: the TTL of the last renewal, on a fake clock.</summary>
public sealed class LeaseWatchdogTests
{
    [Fact]
    public async Task Expires_when_the_TTL_runs_out_without_a_renewal()
    {
        var time = new FakeTimeProvider();
        var watchdog = new LeaseWatchdog(time, ttlSeconds: 5);
        var expired = watchdog.WaitExpiredAsync(CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(expired.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(0.2));
        await expired.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Each_renewal_moves_the_deadline_by_the_TTL_it_returned()
    {
        var time = new FakeTimeProvider();
        var watchdog = new LeaseWatchdog(time, ttlSeconds: 5);
        var expired = watchdog.WaitExpiredAsync(CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(3));
        watchdog.Renewed(10);
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(expired.IsCompleted);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(1), watchdog.Deadline);

        time.Advance(TimeSpan.FromSeconds(1));
        await expired.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void A_late_renewal_with_a_shorter_TTL_never_moves_the_deadline_back()
    {
        var time = new FakeTimeProvider();
        var watchdog = new LeaseWatchdog(time, ttlSeconds: 60);
        var deadline = watchdog.Deadline;

        watchdog.Renewed(5);

        Assert.Equal(deadline, watchdog.Deadline);
    }

    [Fact]
    public async Task Canceling_the_wait_cancels_the_task()
    {
        var time = new FakeTimeProvider();
        var watchdog = new LeaseWatchdog(time, ttlSeconds: 5);
        using var stop = new CancellationTokenSource();
        var expired = watchdog.WaitExpiredAsync(stop.Token);

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => expired.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
