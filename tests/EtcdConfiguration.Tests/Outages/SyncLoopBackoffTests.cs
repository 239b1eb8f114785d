using EtcdConfiguration.Client;
using EtcdConfiguration.Sync;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EtcdConfiguration.Tests.Outages;

/// <summary>
/// How long the background sync waits between failed attempts, on a fake clock. Only the snapshot load fails here
/// (the loop runs without a watch), so nothing crosses the wire; the real outages are in <see cref="EtcdOutageTests"/>.
/// </summary>
public sealed class SyncLoopBackoffTests : IDisposable
{
    private const string Prefix = "app/";
    private static readonly TimeSpan _baseDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan _maxDelay = TimeSpan.FromSeconds(2);
    private readonly CountingTimeProvider _clock = new();
    private readonly CancellationTokenSource _stopping = new();

    [Fact]
    public async Task Each_failed_load_waits_the_retry_policys_jittered_backoff_on_the_injected_clock_capped_at_MaxDelay()
    {
        var target = new FailingTarget(failures: 3);
        var loop = StartLoop(target);

        // The policy's delay before retry n is in [0.5, 1) x min(base x 2^n, max): 1 s, 2 s, then capped at 2 s.
        TimeSpan[] upperBounds = [_baseDelay, 2 * _baseDelay, _maxDelay];
        for (var retry = 0; retry < upperBounds.Length; retry++)
        {
            await Eventually.TrueAsync(() => _clock.TimersCreated == retry + 1, $"the loop waits before retry {retry + 1}");
            var lower = upperBounds[retry] / 2;

            _clock.Advance(lower - TimeSpan.FromMilliseconds(1));
            Assert.Equal(retry + 1, target.Attempts);

            _clock.Advance(upperBounds[retry] - lower + TimeSpan.FromMilliseconds(1));
            await Eventually.TrueAsync(() => target.Attempts == retry + 2, $"attempt {retry + 2} follows its delay");
        }

        await Eventually.WithinAsync(loop.Completion, "the loop ends once the load succeeds");
        Assert.Equal(3, target.Reported.Count);
        Assert.All(target.Reported, r =>
        {
            Assert.True(r.DuringSnapshot);
            Assert.Contains($"'{Prefix}'", r.Failure.Message, StringComparison.Ordinal);
            Assert.IsType<EtcdUnavailableException>(r.Failure.InnerException);
        });
    }

    [Fact]
    public async Task A_compaction_is_retried_at_once_and_is_not_reported_as_a_failure()
    {
        var target = new FailingTarget(failures: 1, failure: () => new EtcdCompactedException("compacted", 7, "Watch", null, null));
        var loop = StartLoop(target);

        // The clock never moves: a compaction re-reads the snapshot without waiting.
        await Eventually.WithinAsync(loop.Completion, "the loop re-reads the snapshot and ends");
        Assert.Equal(2, target.Attempts);
        Assert.Empty(target.Reported);
    }

    [Fact]
    public async Task Stopping_ends_the_wait_between_attempts_without_the_clock_moving()
    {
        var target = new FailingTarget(failures: int.MaxValue);
        var loop = StartLoop(target);
        await Eventually.TrueAsync(() => _clock.TimersCreated == 1, "the loop waits before its first retry");

        await _stopping.CancelAsync();

        await Eventually.WithinAsync(loop.Completion, "the loop ends as the provider stops");
        Assert.Equal(1, target.Attempts);
    }

    [Fact]
    public async Task A_load_that_fails_only_after_the_stop_was_asked_ends_the_loop_without_an_error()
    {
        // As a dial timeout does: the call into etcd fails on its own clock, after the provider began to stop.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var target = new FailingTarget(failures: int.MaxValue, hold: release.Task);
        var loop = StartLoop(target);
        await Eventually.TrueAsync(() => target.Attempts == 1, "the first load is in flight");

        await _stopping.CancelAsync();
        release.SetResult();

        await Eventually.TrueAsync(() => loop.Completion.IsCompleted, "the loop ends as the provider stops");
        loop.Stop();
        Assert.Equal(TaskStatus.RanToCompletion, loop.Completion.Status);
        Assert.Equal(1, target.Attempts);
        Assert.Empty(target.Reported);
    }

    public void Dispose() => _stopping.Dispose();

    private EtcdSyncLoop StartLoop(FailingTarget target)
    {
        var policy = new EtcdRetryPolicy(new EtcdClientOptions { RetryBaseDelay = _baseDelay, RetryMaxDelay = _maxDelay, TimeProvider = _clock });
        var loop = new EtcdSyncLoop(
            target,
            () => throw new InvalidOperationException("A loop without a watch must not need the client."),
            policy,
            "app/"u8.ToArray(),
            Prefix,
            watch: false,
            NullLogger.Instance,
            needsSnapshot: true);
        loop.Start(_stopping.Token);
        return loop;
    }

    /// <summary>A fake clock that counts the timers started on it, so a test advances it only once the loop waits.</summary>
    private sealed class CountingTimeProvider : FakeTimeProvider
    {
        private int _timersCreated;

        public int TimersCreated => Volatile.Read(ref _timersCreated);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _timersCreated);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }

    /// <summary>A provider whose snapshot load fails a number of times, then succeeds.</summary>
    private sealed class FailingTarget(int failures, Func<Exception>? failure = null, Task? hold = null) : ISyncTarget
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public List<(EtcdException Failure, bool DuringSnapshot)> Reported { get; } = [];

        public long Revision => 0;

        public async Task LoadSnapshotAsync(CancellationToken cancellationToken)
        {
            var attempt = Interlocked.Increment(ref _attempts);
            if (hold is not null)
            {
                await hold;
            }

            if (attempt <= failures)
            {
                throw failure?.Invoke() ?? new EtcdUnavailableException("etcd at http://127.0.0.1:1 is unreachable.");
            }
        }

        public void ApplyBatch(IReadOnlyList<WatchResponse> responses) =>
            throw new InvalidOperationException("A loop without a watch applies no batch.");

        public void ReportFailure(EtcdException failure, bool duringSnapshot)
        {
            lock (Reported)
            {
                Reported.Add((failure, duringSnapshot));
            }
        }
    }
}
