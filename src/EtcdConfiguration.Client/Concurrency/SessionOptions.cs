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
    /// given in <see cref="TtlSeconds"/> too, so that a member lost before the first renewal still ends the session
    /// once that TTL has run out.
    /// </summary>
    /// <remarks>
    /// The lease's TTL is timed on the client's <see cref="EtcdClientOptions.TimeProvider"/>, by the keep-alive that
    /// decides for every kept-alive lease of the client when one is lost.
    /// </remarks>
    public long LeaseId { get; set; }
}
