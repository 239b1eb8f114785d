namespace EtcdConfiguration.Client.Internal.Leasing;

/// <summary>
/// When a kept-alive lease must be presumed expired: the TTL etcd gave with its last renewal has run out on the
/// client's clock with no renewal since. Until the first renewal the TTL is unknown and nothing expires, unless the
/// keep-alive's caller knew it (<see cref="Known"/>). The one place that decides a kept-alive lease is lost (the
/// concurrency <c>Session</c> relies on it too); only the <see cref="LeaseKeepAliver"/> touches it, under its lock.
/// </summary>
internal sealed class LeaseDeadline(TimeProvider time)
{
    private long _renewedAt;

    /// <summary>The TTL of the last renewal; <see langword="null"/> before the first.</summary>
    public TimeSpan? Ttl { get; private set; }

    /// <summary>etcd renewed the lease just now for <paramref name="ttlSeconds"/>.</summary>
    public void Renewed(long ttlSeconds)
    {
        _renewedAt = time.GetTimestamp();
        Ttl = TimeSpan.FromSeconds(ttlSeconds);
    }

    /// <summary>
    /// The caller knows the lease lives <paramref name="ttlSeconds"/> from now (it was just granted): the TTL counts
    /// from now if no renewal has set it yet. A renewal already heard knows better and is kept.
    /// </summary>
    public void Known(long ttlSeconds)
    {
        if (Ttl is null)
        {
            Renewed(ttlSeconds);
        }
    }

    /// <summary>How long until the lease runs out: zero once it has, <see langword="null"/> before the first renewal.</summary>
    public TimeSpan? Remaining
    {
        get
        {
            if (Ttl is not { } ttl)
            {
                return null;
            }

            var left = ttl - time.GetElapsedTime(_renewedAt);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>Whether the last renewal's TTL has run out.</summary>
    public bool HasExpired => Remaining == TimeSpan.Zero;
}
