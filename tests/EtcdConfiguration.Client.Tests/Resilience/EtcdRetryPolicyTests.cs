using EtcdConfiguration.Client.Internal.Resilience;
using Microsoft.Extensions.Time.Testing;

namespace EtcdConfiguration.Client.Tests.Resilience;

public sealed class EtcdRetryPolicyTests
{
    private static readonly TimeSpan _base = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan _max = TimeSpan.FromSeconds(2);

    [Fact]
    public void Delays_double_with_each_attempt_until_the_cap()
    {
        var policy = Policy(new FakeTimeProvider());

        // Without jitter's reduction (random just below 1) the delays are the exponential ones.
        var delays = Enumerable.Range(0, 8).Select(a => policy.GetDelay(a, random: 0.999999)).ToArray();

        Assert.Equal(100, delays[0].TotalMilliseconds, 0.01);
        Assert.Equal(200, delays[1].TotalMilliseconds, 0.01);
        Assert.Equal(400, delays[2].TotalMilliseconds, 0.01);
        Assert.Equal(800, delays[3].TotalMilliseconds, 0.01);
        Assert.Equal(1600, delays[4].TotalMilliseconds, 0.01);
        Assert.All(delays[5..], d => Assert.Equal(2000, d.TotalMilliseconds, 0.01));
    }

    [Fact]
    public void A_huge_attempt_number_stays_at_the_cap()
    {
        var policy = Policy(new FakeTimeProvider());

        Assert.Equal(_max / 2, policy.GetDelay(int.MaxValue, random: 0));
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(3, 800)]
    [InlineData(10, 2000)]
    public void Jitter_keeps_every_delay_between_half_and_all_of_the_capped_delay(int attempt, double cappedMs)
    {
        var policy = Policy(new FakeTimeProvider());

        var delays = Enumerable.Range(0, 2000).Select(_ => policy.GetDelay(attempt).TotalMilliseconds).ToArray();

        Assert.All(delays, d => Assert.InRange(d, cappedMs / 2, cappedMs));
        // Jittered, not constant: the draws spread over the range.
        Assert.True(delays.Max() - delays.Min() > cappedMs / 4, $"delays between {delays.Min()} and {delays.Max()} ms");
    }

    [Fact]
    public void A_negative_attempt_is_refused()
    {
        var policy = Policy(new FakeTimeProvider());

        Assert.Throws<ArgumentOutOfRangeException>(() => policy.GetDelay(-1));
    }

    [Fact]
    public async Task DelayAsync_waits_on_the_policy_clock()
    {
        var clock = new FakeTimeProvider();
        var policy = Policy(clock);

        var wait = policy.DelayAsync(0);
        clock.Advance(_base / 2 - TimeSpan.FromMilliseconds(1));
        Assert.False(wait.IsCompleted);
        clock.Advance(_base / 2 + TimeSpan.FromMilliseconds(1));

        await wait.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void A_reconnect_loop_backs_off_and_starts_again_after_a_success()
    {
        var backoff = new ReconnectBackoff(Policy(new FakeTimeProvider()));

        var first = backoff.Next();
        var second = backoff.Next();
        var third = backoff.Next();
        Assert.Equal(3, backoff.Attempt);
        Assert.InRange(first, _base / 2, _base);
        Assert.InRange(second, _base, _base * 2);
        Assert.InRange(third, _base * 2, _base * 4);

        backoff.Reset();

        Assert.Equal(0, backoff.Attempt);
        Assert.InRange(backoff.Next(), _base / 2, _base);
    }

    [Fact]
    public void A_token_renewal_reconnects_at_once_the_first_time_then_backs_off()
    {
        var backoff = new ReconnectBackoff(Policy(new FakeTimeProvider()));

        Assert.Equal(TimeSpan.Zero, backoff.NextImmediateFirst());
        Assert.InRange(backoff.NextImmediateFirst(), _base / 2, _base);
        Assert.InRange(backoff.NextImmediateFirst(), _base, _base * 2);
    }

    [Fact]
    public async Task A_reconnect_wait_runs_on_the_policy_clock()
    {
        var clock = new FakeTimeProvider();
        var backoff = new ReconnectBackoff(Policy(clock));

        var wait = backoff.WaitAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(wait.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));

        await wait.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void The_policy_takes_its_delays_and_clock_from_the_options()
    {
        var clock = new FakeTimeProvider();
        using var client = new EtcdClient(new EtcdClientOptions { RetryBaseDelay = _base, RetryMaxDelay = _max, TimeProvider = clock });

        Assert.Equal(_base, client.RetryPolicy.BaseDelay);
        Assert.Equal(_max, client.RetryPolicy.MaxDelay);
        Assert.Same(clock, client.RetryPolicy.TimeProvider);
        Assert.Same(TimeProvider.System, new EtcdClientOptions().TimeProvider);
    }

    internal static EtcdRetryPolicy Policy(TimeProvider clock) =>
        new(new EtcdClientOptions { RetryBaseDelay = _base, RetryMaxDelay = _max, TimeProvider = clock });
}
