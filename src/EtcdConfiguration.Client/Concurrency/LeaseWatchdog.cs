namespace EtcdConfiguration.Client.Concurrency;

/// <summary>
/// Knows when a kept-alive lease must be presumed expired: the TTL etcd returned with the last renewal has run out
/// and no renewal came since. It exists because a keep-alive stream that cannot reach any member may neither yield
/// nor end, while etcd lets the lease expire all the same.
/// </summary>
internal sealed class LeaseWatchdog
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private DateTimeOffset _deadline;

    /// <summary>Starts the clock: the lease, granted or renewed just now, lives <paramref name="ttlSeconds"/>.</summary>
    public LeaseWatchdog(TimeProvider time, long ttlSeconds)
    {
        _time = time;
        _deadline = time.GetUtcNow() + TimeSpan.FromSeconds(ttlSeconds);
    }

    /// <summary>When the lease runs out unless it is renewed before.</summary>
    public DateTimeOffset Deadline
    {
        get
        {
            lock (_gate)
            {
                return _deadline;
            }
        }
    }

    /// <summary>A renewal arrived: the lease lives <paramref name="ttlSeconds"/> from now.</summary>
    public void Renewed(long ttlSeconds)
    {
        var deadline = _time.GetUtcNow() + TimeSpan.FromSeconds(ttlSeconds);
        lock (_gate)
        {
            if (deadline > _deadline)
            {
                _deadline = deadline;
            }
        }
    }

    /// <summary>Completes once the deadline has passed with no renewal moving it.</summary>
    /// <param name="cancellationToken">Stops waiting (the task is then canceled).</param>
    public async Task WaitExpiredAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var remaining = Deadline - _time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(remaining, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
