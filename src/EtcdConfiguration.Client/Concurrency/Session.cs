using System.Globalization;

namespace EtcdConfiguration.Client.Concurrency;

/// <summary>
/// A lease kept alive in the background for as long as the session is open: the counterpart of Go's
/// <c>concurrency.Session</c>. <see cref="Mutex"/> and <see cref="Election"/> attach their keys to it, so they
/// vanish when the process dies and the lease expires.
/// </summary>
/// <remarks>
/// A session is lost when its keep-alive (<see cref="LeaseClient.KeepAliveAsync"/>) ends: etcd reports the lease
/// gone (expired, or revoked by anyone), the lease's TTL ran out with no renewal (no member could be reached; the
/// keep-alive ends with <see cref="EtcdLeaseExpiredException"/>, timed on <see cref="EtcdClientOptions.TimeProvider"/>),
/// or the keep-alive ended otherwise. Loss is never silent: <see cref="LostToken"/> is canceled, <see cref="Lost"/> is raised once,
/// <see cref="LossReason"/> says why, and <see cref="Done"/> completes. Closing or orphaning a session is not a loss.
/// </remarks>
/// <example>
/// <code>
/// await using var session = await Session.CreateAsync(client, new SessionOptions { TtlSeconds = 10 });
/// var mutex = new Mutex(session, "/locks/report");
/// await mutex.LockAsync(stopping);
/// </code>
/// </example>
public sealed class Session : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _lost = new();
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SessionLostException? _lossReason;
    private Task _loop = Task.CompletedTask;
    private int _closed;

    private Session(EtcdClient client, long leaseId, long ttlSeconds)
    {
        Client = client;
        LeaseId = leaseId;
        TtlSeconds = ttlSeconds;
    }

    /// <summary>
    /// Raised once when the session is lost, on a background thread; handlers must be quick and must not throw.
    /// A handler added after the loss is not called: check <see cref="IsLost"/>, or register on <see cref="LostToken"/>,
    /// which runs a callback registered late at once.
    /// </summary>
    public event EventHandler<SessionLostEventArgs>? Lost;

    /// <summary>The client the session uses.</summary>
    public EtcdClient Client { get; }

    /// <summary>The session's lease: keys put with it live as long as the session.</summary>
    public long LeaseId { get; }

    /// <summary>The lease's TTL in seconds, as etcd granted it.</summary>
    public long TtlSeconds { get; }

    /// <summary>Canceled when the session is lost (not when it is closed or orphaned).</summary>
    public CancellationToken LostToken => _lost.Token;

    /// <summary>Whether the session has been lost.</summary>
    public bool IsLost => _lost.IsCancellationRequested;

    /// <summary>Why the session was lost; <see langword="null"/> while it is not.</summary>
    public SessionLostException? LossReason => Volatile.Read(ref _lossReason);

    /// <summary>Completes (never faults) when the lease is no longer kept alive: lost, orphaned or closed.</summary>
    public Task Done => _done.Task;

    /// <summary>Grants a lease (or takes <see cref="SessionOptions.LeaseId"/>) and starts keeping it alive (Go's <c>NewSession</c>).</summary>
    /// <param name="client">The client to use; it must outlive the session.</param>
    /// <param name="options">TTL or an existing lease; <see langword="null"/> for a new 60 s lease.</param>
    /// <param name="cancellationToken">Cancels the grant.</param>
    /// <returns>The open session.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="SessionOptions.TtlSeconds"/> is not positive.</exception>
    /// <exception cref="EtcdException">The lease could not be granted.</exception>
    public static async Task<Session> CreateAsync(EtcdClient client, SessionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        options ??= new SessionOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.TtlSeconds, "options.TtlSeconds");
        var leaseId = options.LeaseId;
        var ttl = options.TtlSeconds;
        if (leaseId == 0)
        {
            var granted = await client.Lease.GrantAsync(ttl, cancellationToken).ConfigureAwait(false);
            (leaseId, ttl) = (granted.Id, granted.Ttl);
        }

        var session = new Session(client, leaseId, ttl);
        session._loop = session.RunAsync();
        return session;
    }

    /// <summary>
    /// Stops keeping the lease alive without revoking it (Go's <c>Orphan</c>): the session's keys live until the TTL
    /// runs out. <see cref="Done"/> completes; this is not a loss.
    /// </summary>
    /// <returns>A task that completes when the keep-alive has stopped.</returns>
    public async Task OrphanAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    /// <summary>
    /// Stops keeping the lease alive and revokes it (Go's <c>Close</c>), which deletes every key of the session at
    /// once: locks are released and candidacies withdrawn. A lease already gone is not an error.
    /// </summary>
    /// <param name="cancellationToken">Cancels the revoke; the lease then expires after its TTL.</param>
    /// <returns>A task that completes when the lease is revoked, or has expired because no member answered within its TTL.</returns>
    /// <exception cref="EtcdException">The revoke failed (the lease expires after its TTL anyway).</exception>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        await OrphanAsync().ConfigureAwait(false);
        if (Interlocked.Exchange(ref _closed, 1) == 1 || IsLost)
        {
            return;
        }

        // Past the TTL the lease has expired anyway, so a revoke that takes longer has nothing left to do.
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(TimeSpan.FromSeconds(TtlSeconds));
        try
        {
            await Client.Lease.RevokeAsync(LeaseId, bounded.Token).ConfigureAwait(false);
        }
        catch (EtcdLeaseNotFoundException)
        {
            // Someone else revoked it or it expired: the outcome the caller asked for.
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A whole TTL has passed since the keep-alive stopped, so etcd has expired the lease by now: the
            // outcome the caller asked for, although no member answered the revoke.
        }
    }

    /// <summary>Closes the session (<see cref="CloseAsync"/>).</summary>
    /// <returns>A task that completes when the lease is revoked.</returns>
    public ValueTask DisposeAsync() => new(CloseAsync());

    /// <summary>The session's lease and state, such as <c>session 694d77aa9e38260f (TTL 10 s, lost)</c>.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() =>
        $"session {LeaseId.ToString("x", CultureInfo.InvariantCulture)} (TTL {TtlSeconds} s{(IsLost ? ", lost" : string.Empty)})";

    /// <summary>Throws <see cref="LossReason"/> when the session is lost.</summary>
    internal void ThrowIfLost()
    {
        if (LossReason is { } reason)
        {
            throw new SessionLostException(reason.Message, LeaseId, reason.InnerException);
        }
    }

    // The keep-alive alone decides that the lease is lost (LeaseKeepAliver and its LeaseDeadline): the session
    // only says so. It hands over the TTL it was granted, so that a member lost before the first renewal counts too.
    private async Task RunAsync()
    {
        await Task.Yield();
        Exception? failure = null;
        try
        {
            await foreach (var _ in Client.Lease.KeepAliveWithKnownTtlAsync(LeaseId, TtlSeconds, _stop.Token).ConfigureAwait(false))
            {
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Closed or orphaned: not a loss.
        }
        catch (Exception ex)
        {
            // Whatever ended the keep-alive is the loss's cause, reported below with it.
            failure = ex;
        }

        try
        {
            if (!_stop.IsCancellationRequested)
            {
                ReportLost(Describe(failure));
            }
        }
        finally
        {
            _done.TrySetResult();
        }
    }

    private SessionLostException Describe(Exception? cause)
    {
        var lease = LeaseId.ToString("x", CultureInfo.InvariantCulture);
        return cause switch
        {
            EtcdLeaseExpiredException expired => new SessionLostException(
                $"The session's lease {lease} was not renewed within its TTL of {expired.Ttl.TotalSeconds:0.###} s, so etcd has let it expire: no member answered the keep-alive.",
                LeaseId,
                expired),
            EtcdLeaseNotFoundException => new SessionLostException($"The session's lease {lease} expired or was revoked.", LeaseId, cause),
            null => new SessionLostException(
                $"The keep-alive of the session's lease {lease} ended (the lease was revoked or closed through the client, or the client was disposed).",
                LeaseId,
                null),
            _ => new SessionLostException($"The keep-alive of the session's lease {lease} failed: {cause.Message}", LeaseId, cause),
        };
    }

    private void ReportLost(SessionLostException reason)
    {
        Volatile.Write(ref _lossReason, reason);
        _lost.Cancel();
        Lost?.Invoke(this, new SessionLostEventArgs(reason));
    }
}
