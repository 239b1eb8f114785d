namespace EtcdConfiguration.Client.Concurrency;

/// <summary>How <see cref="Session.CreateAsync"/> gets its lease (Go's <c>concurrency.WithTTL</c> and <c>WithLease</c>).</summary>
public sealed class SessionOptions
{
    /// <summary>
    /// The TTL, in seconds, of the lease the session grants (default 60, as in Go): how long the session's keys
    /// outlive this process if it dies without closing the session.
    /// </summary>
    public long TtlSeconds { get; set; } = 60;

    /// <summary>
    /// An existing lease to keep alive instead of granting one (0, the default: grant a new lease). Its TTL must be
    /// given in <see cref="TtlSeconds"/> too, so that the session knows when a missing renewal means the lease is gone.
    /// </summary>
    public long LeaseId { get; set; }

    /// <summary>The clock that times the lease's TTL (default <see cref="TimeProvider.System"/>); tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
