using EtcdConfiguration.Client.Internal.Resilience;
using EtcdConfiguration.Client.Tests.Harness;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EtcdConfiguration.Client.Tests.Resilience;

public sealed class RetryPipelinesTests
{
    private static readonly TimeSpan _base = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task A_read_is_retried_after_the_policy_delays_on_the_policy_clock()
    {
        var clock = new FakeTimeProvider();
        var pipelines = Pipelines(clock, maxRetries: 3);
        var attempts = 0;

        var call = pipelines.Read.ExecuteAsync(_ =>
        {
            // Two transient failures, then an answer.
            return ++attempts <= 2 ? throw Unavailable() : ValueTask.FromResult("answer");
        }).AsTask();

        Assert.Equal(1, attempts);
        // The first retry waits between half the base delay and the base delay; not a tick before.
        clock.Advance(_base / 2 - TimeSpan.FromTicks(1));
        Assert.Equal(1, Volatile.Read(ref attempts));
        clock.Advance(_base / 2 + TimeSpan.FromTicks(1));
        await Eventually.TrueAsync(() => Volatile.Read(ref attempts) == 2, "the first retry ran");

        // The second waits twice as long: at least the base delay.
        clock.Advance(_base - TimeSpan.FromTicks(1));
        Assert.Equal(2, Volatile.Read(ref attempts));
        clock.Advance(_base + TimeSpan.FromTicks(1));

        Assert.Equal("answer", await call.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task A_read_gives_up_after_MaxRetries()
    {
        var clock = new FakeTimeProvider();
        var pipelines = Pipelines(clock, maxRetries: 2);
        var attempts = 0;

        var call = pipelines.Read.ExecuteAsync<string>(_ =>
        {
            Interlocked.Increment(ref attempts);
            throw Unavailable();
        }).AsTask();
        for (var i = 0; i < 2; i++)
        {
            var before = Volatile.Read(ref attempts);
            clock.Advance(TimeSpan.FromSeconds(2));
            await Eventually.TrueAsync(() => Volatile.Read(ref attempts) > before, $"retry {i + 1} ran");
        }

        await Assert.ThrowsAsync<RpcException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task A_write_that_reached_etcd_is_not_retried()
    {
        var pipelines = Pipelines(new FakeTimeProvider(), maxRetries: 3);
        var attempts = 0;

        await Assert.ThrowsAsync<RpcException>(() => pipelines.Write.ExecuteAsync<string>(_ =>
        {
            attempts++;
            throw Unavailable();
        }).AsTask());
        Assert.Equal(1, attempts);
    }

    private static RetryPipelines Pipelines(TimeProvider clock, int maxRetries)
    {
        var options = new EtcdClientOptions { RetryBaseDelay = _base, RetryMaxDelay = TimeSpan.FromSeconds(2), MaxRetries = maxRetries, TimeProvider = clock };
        return new RetryPipelines(options, new EtcdRetryPolicy(options), NullLogger.Instance);
    }

    private static RpcException Unavailable() => new(new Status(StatusCode.Unavailable, "etcdserver: no leader"));
}
