using System.Globalization;

namespace EtcdConfiguration.Client.Concurrency;

/// <summary>
/// A distributed lock held through a <see cref="Session"/>: the counterpart of Go's <c>concurrency.Mutex</c>, and
/// compatible with it and with <c>etcdctl lock</c> on the same name. It is fair: waiters get the lock in the order
/// they asked for it (by the create revision of their key).
/// </summary>
/// <remarks>
/// Each contender puts the key <c>&lt;name&gt;/&lt;lease ID in hex&gt;</c> with its session's lease; the holder is the
/// contender whose key is oldest. One <see cref="Mutex"/> per session and name: two instances on the same session and
/// name share the key, so they do not exclude each other (as in Go). Not thread-safe: lock and unlock from one flow.
/// If the session is lost, the lock is lost with it: hold <see cref="Session.LostToken"/> as the token of the work done
/// under the lock, and guard writes with <see cref="IsOwner"/>.
/// </remarks>
/// <example>
/// <code>
/// var mutex = new Mutex(session, "/locks/report");
/// await mutex.LockAsync(stopping);
/// try { await WriteReportAsync(session.LostToken); }
/// finally { await mutex.UnlockAsync(); }
/// </code>
/// </example>
public sealed class Mutex
{
    private readonly Session _session;
    private long _revision = -1;

    /// <summary>Creates a lock named <paramref name="name"/> on <paramref name="session"/> (Go's <c>NewMutex</c>).</summary>
    /// <param name="session">The session whose lease holds the lock's key.</param>
    /// <param name="name">The lock's name, the prefix of its keys (<c>etcdctl lock</c>'s NAME).</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public Mutex(Session session, string name)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentException.ThrowIfNullOrEmpty(name);
        _session = session;
        Prefix = name + "/";
    }

    /// <summary>The prefix of the contenders' keys: the name and a slash.</summary>
    public string Prefix { get; }

    /// <summary>This contender's key (<c>name/leaseid</c>) while it holds or waits for the lock; otherwise empty.</summary>
    public string Key { get; private set; } = string.Empty;

    /// <summary>The create revision of <see cref="Key"/>; -1 when there is none.</summary>
    public long Revision => _revision;

    /// <summary>The header of the response that granted the lock; <see langword="null"/> before.</summary>
    public ResponseHeader? Header { get; private set; }

    /// <summary>
    /// A transaction condition that holds while this contender holds the lock (Go's <c>IsOwner</c>): add it to a
    /// write's <c>If</c> so that a write after losing the lock fails instead of racing the next holder.
    /// </summary>
    /// <returns>The condition; one that never holds while this contender has no key (as Go's, on key 0x00).</returns>
    public Compare IsOwner() => Compare.CreateRevision(Key.Length == 0 ? "\0" : Key, CompareResult.Equal, _revision);

    /// <summary>Waits until the lock is held (Go's <c>Lock</c>); holding it already returns at once.</summary>
    /// <param name="cancellationToken">Gives up waiting; this contender's key is then removed.</param>
    /// <returns>A task that completes when the lock is held.</returns>
    /// <exception cref="SessionLostException">The session was lost before or while waiting.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="EtcdException">etcd failed the calls.</exception>
    public async Task LockAsync(CancellationToken cancellationToken = default)
    {
        _session.ThrowIfLost();
        TxnResponse response;
        KeyValue? holder;
        try
        {
            (response, holder) = await TryAcquireAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or EtcdException)
        {
            // etcd may have put the key before the call gave up: remove it, or it would block every later waiter
            // until the session ends.
            await AbandonAsync().ConfigureAwait(false);
            throw;
        }

        if (IsMine(holder))
        {
            Header = response.Header;
            return;
        }

        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _session.LostToken);
        ResponseHeader header;
        try
        {
            header = await Waits.WaitDeletesAsync(_session.Client, Prefix, _revision - 1, waiting.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or EtcdException)
        {
            await AbandonAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            _session.ThrowIfLost();
            throw;
        }

        // The wait may have ended because our own key went with an expired lease: then the lock is not ours.
        var mine = await _session.Client.KV.GetAsync(Key, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (mine.Kvs.Count == 0)
        {
            var key = Key;
            Reset();
            throw new SessionLostException($"The lock key {key} vanished while waiting: the session's lease expired or was revoked.", _session.LeaseId, null);
        }

        Header = header;
    }

    /// <summary>Takes the lock if nobody holds it, without waiting (Go's <c>TryLock</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the lock is now held; when not, this contender's key is removed again.</returns>
    /// <exception cref="SessionLostException">The session is lost.</exception>
    /// <exception cref="EtcdException">etcd failed the calls.</exception>
    public async Task<bool> TryLockAsync(CancellationToken cancellationToken = default)
    {
        _session.ThrowIfLost();
        var (response, holder) = await TryAcquireAsync(cancellationToken).ConfigureAwait(false);
        if (IsMine(holder))
        {
            Header = response.Header;
            return true;
        }

        await _session.Client.KV.DeleteAsync(Key, cancellationToken: cancellationToken).ConfigureAwait(false);
        Reset();
        return false;
    }

    /// <summary>Releases the lock by deleting this contender's key (Go's <c>Unlock</c>); the next waiter gets it.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the key is deleted.</returns>
    /// <exception cref="EtcdException">etcd failed the delete (the key then goes with the session's lease).</exception>
    public async Task UnlockAsync(CancellationToken cancellationToken = default)
    {
        if (Key.Length == 0)
        {
            return;
        }

        await _session.Client.KV.DeleteAsync(Key, cancellationToken: cancellationToken).ConfigureAwait(false);
        Reset();
    }

    /// <summary>The lock's name and this contender's key.</summary>
    /// <returns>Such as <c>mutex /locks/report/ (key /locks/report/694d77aa9e38260f)</c>.</returns>
    public override string ToString() => $"mutex {Prefix} (key {(Key.Length == 0 ? "none" : Key)})";

    private bool IsMine(KeyValue? holder) => holder is null || holder.CreateRevision == _revision;

    /// <summary>
    /// Puts this contender's key unless it exists (a session holding the lock already reuses it), and reads the
    /// holder in the same transaction, so the uncontended case costs one round trip.
    /// </summary>
    private async Task<(TxnResponse Response, KeyValue? Holder)> TryAcquireAsync(CancellationToken cancellationToken)
    {
        Key = Prefix + _session.LeaseId.ToString("x", CultureInfo.InvariantCulture);
        var holder = Op.Get(Prefix, Waits.FirstCreated());
        var response = await _session.Client.KV.Txn()
            .If(Compare.CreateRevision(Key, CompareResult.Equal, 0))
            .Then(Op.Put(Key, string.Empty, new PutOptions { Lease = _session.LeaseId }), holder)
            .Else(Op.Get(Key), holder)
            .CommitAsync(cancellationToken)
            .ConfigureAwait(false);
        _revision = response.Succeeded ? response.Header.Revision : response.Responses[0].Get!.Kvs[0].CreateRevision;
        var holders = response.Responses[1].Get!.Kvs;
        return (response, holders.Count == 0 ? null : holders[0]);
    }

    /// <summary>Removes this contender's key after a failed wait, so that it does not block the next waiter.</summary>
    private async Task AbandonAsync()
    {
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(_session.TtlSeconds));
        try
        {
            await UnlockAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is EtcdException or OperationCanceledException)
        {
            // The key is attached to the session's lease, so it goes when the lease does; the caller gets the
            // failure that ended the wait, which matters more.
            Reset();
        }
    }

    private void Reset()
    {
        Key = string.Empty;
        _revision = -1;
    }
}
