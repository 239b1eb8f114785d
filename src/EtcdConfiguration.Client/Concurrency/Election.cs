using System.Globalization;
using System.Runtime.CompilerServices;

namespace EtcdConfiguration.Client.Concurrency;

/// <summary>
/// A leader election held through a <see cref="Session"/>: the counterpart of Go's <c>concurrency.Election</c>,
/// compatible with it and with <c>etcdctl elect</c> on the same name. Candidates become leader in the order they
/// campaigned (by the create revision of their key); the leader's key holds the value it proclaims.
/// </summary>
/// <remarks>
/// Each candidate puts <c>&lt;name&gt;/&lt;lease ID in hex&gt;</c> with its session's lease. The leader stays leader until
/// it resigns or its session ends; if the session is lost, so is the leadership (watch <see cref="Session.LostToken"/>).
/// Not thread-safe: campaign, proclaim and resign from one flow; <see cref="ObserveAsync"/> may run anywhere.
/// </remarks>
/// <example>
/// <code>
/// var election = new Election(session, "/elections/scheduler");
/// await election.CampaignAsync("node-1", stopping);   // returns once this candidate leads
/// await foreach (var leader in election.ObserveAsync(stopping)) { Console.WriteLine(leader.Value); }
/// </code>
/// </example>
public sealed class Election
{
    private readonly Session _session;
    private bool _leading;

    /// <summary>Creates an election named <paramref name="name"/> on <paramref name="session"/> (Go's <c>NewElection</c>).</summary>
    /// <param name="session">The session whose lease holds the candidate's key.</param>
    /// <param name="name">The election's name, the prefix of its keys (<c>etcdctl elect</c>'s NAME).</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public Election(Session session, string name)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentException.ThrowIfNullOrEmpty(name);
        _session = session;
        Prefix = name + "/";
    }

    /// <summary>The prefix of the candidates' keys: the name and a slash.</summary>
    public string Prefix { get; }

    /// <summary>This candidate's key while it campaigns or leads; otherwise empty.</summary>
    public string Key { get; private set; } = string.Empty;

    /// <summary>The create revision of <see cref="Key"/>; -1 when there is none.</summary>
    public long Revision { get; private set; } = -1;

    /// <summary>The header of the last response that changed this candidate's standing; <see langword="null"/> before.</summary>
    public ResponseHeader? Header { get; private set; }

    /// <summary>
    /// Resumes leadership of an election this process won before (Go's <c>ResumeElection</c>), given the key and
    /// revision it had; the session must hold the same lease.
    /// </summary>
    /// <param name="session">The session of the earlier campaign.</param>
    /// <param name="name">The election's name.</param>
    /// <param name="leaderKey">The earlier <see cref="Key"/>.</param>
    /// <param name="leaderRevision">The earlier <see cref="Revision"/>.</param>
    /// <returns>An election that may proclaim and resign.</returns>
    public static Election Resume(Session session, string name, string leaderKey, long leaderRevision)
    {
        ArgumentException.ThrowIfNullOrEmpty(leaderKey);
        return new Election(session, name) { Key = leaderKey, Revision = leaderRevision, _leading = true };
    }

    /// <summary>
    /// Becomes a candidate with <paramref name="value"/> and waits until elected (Go's <c>Campaign</c>): until every
    /// candidate that campaigned earlier has resigned or lost its session. Campaigning again on the same session
    /// keeps the place in line and updates the value.
    /// </summary>
    /// <param name="value">What the leader proclaims, such as its address; observers see it.</param>
    /// <param name="cancellationToken">Gives up; the candidacy is then withdrawn.</param>
    /// <returns>A task that completes when this candidate is the leader.</returns>
    /// <exception cref="SessionLostException">The session was lost before or while waiting.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="EtcdException">etcd failed the calls.</exception>
    public async Task CampaignAsync(string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        _session.ThrowIfLost();
        var key = Prefix + _session.LeaseId.ToString("x", CultureInfo.InvariantCulture);
        var response = await _session.Client.KV.Txn()
            .If(Compare.CreateRevision(key, CompareResult.Equal, 0))
            .Then(Op.Put(key, value, new PutOptions { Lease = _session.LeaseId }))
            .Else(Op.Get(key))
            .CommitAsync(cancellationToken)
            .ConfigureAwait(false);
        (Key, Revision, _leading) = (key, response.Header.Revision, true);
        if (!response.Succeeded)
        {
            var existing = response.Responses[0].Get!.Kvs[0];
            Revision = existing.CreateRevision;
            if (existing.Value != value)
            {
                await ProclaimAsync(value, cancellationToken).ConfigureAwait(false);
            }
        }

        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _session.LostToken);
        try
        {
            await Waits.WaitDeletesAsync(_session.Client, Prefix, Revision - 1, waiting.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or EtcdException)
        {
            await WithdrawAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            _session.ThrowIfLost();
            throw;
        }

        Header = response.Header;
    }

    /// <summary>Changes the leader's value without a new election (Go's <c>Proclaim</c>).</summary>
    /// <param name="value">The new value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the value is written.</returns>
    /// <exception cref="ElectionNotLeaderException">This candidate is not the leader (any more).</exception>
    /// <exception cref="EtcdException">etcd failed the call.</exception>
    public async Task ProclaimAsync(string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!_leading)
        {
            throw new ElectionNotLeaderException($"Cannot proclaim in election {Prefix}: this candidate has not campaigned, or has resigned.");
        }

        var response = await _session.Client.KV.Txn()
            .If(Compare.CreateRevision(Key, CompareResult.Equal, Revision))
            .Then(Op.Put(Key, value, new PutOptions { Lease = _session.LeaseId }))
            .CommitAsync(cancellationToken)
            .ConfigureAwait(false);
        if (!response.Succeeded)
        {
            var key = Key;
            Key = string.Empty;
            _leading = false;
            throw new ElectionNotLeaderException($"Cannot proclaim in election {Prefix}: the candidate's key {key} is gone (its session's lease expired or was revoked, or it was deleted).");
        }

        Header = response.Header;
    }

    /// <summary>Gives up leadership or candidacy (Go's <c>Resign</c>); the next candidate in line is elected.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when this candidate's key is deleted.</returns>
    /// <exception cref="EtcdException">etcd failed the call (the key then goes with the session's lease).</exception>
    public async Task ResignAsync(CancellationToken cancellationToken = default)
    {
        if (!_leading)
        {
            return;
        }

        try
        {
            var response = await _session.Client.KV.Txn()
                .If(Compare.CreateRevision(Key, CompareResult.Equal, Revision))
                .Then(Op.Delete(Key))
                .CommitAsync(cancellationToken)
                .ConfigureAwait(false);
            Header = response.Header;
        }
        finally
        {
            Key = string.Empty;
            Revision = -1;
            _leading = false;
        }
    }

    /// <summary>The current leader's key and value (Go's <c>Leader</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The leader's key; <see langword="null"/> when nobody leads.</returns>
    /// <exception cref="EtcdException">etcd failed the call.</exception>
    public async Task<KeyValue?> LeaderAsync(CancellationToken cancellationToken = default)
    {
        var response = await Waits.FirstCreatedAsync(_session.Client, Prefix, cancellationToken).ConfigureAwait(false);
        return response.Kvs.Count == 0 ? null : response.Kvs[0];
    }

    /// <summary>
    /// Follows the leadership (Go's <c>Observe</c>): yields the leader's key and value now (once there is a leader),
    /// then each value it proclaims, and each new leader.
    /// </summary>
    /// <param name="cancellationToken">Ends the observation with an <see cref="OperationCanceledException"/>.</param>
    /// <returns>The leaders and their values, in order. The enumeration ends when the client is disposed.</returns>
    /// <exception cref="EtcdException">(While enumerating) etcd failed a read or ended a watch.</exception>
    public async IAsyncEnumerable<KeyValue> ObserveAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var client = _session.Client;
        while (true)
        {
            var current = await Waits.FirstCreatedAsync(client, Prefix, cancellationToken).ConfigureAwait(false);
            KeyValue? leader;
            long revision;
            if (current.Kvs.Count > 0)
            {
                (leader, revision) = (current.Kvs[0], current.Header.Revision);
            }
            else
            {
                leader = await FirstPutAsync(client, current.Header.Revision, cancellationToken).ConfigureAwait(false);
                if (leader is null)
                {
                    yield break;
                }

                revision = leader.ModRevision;
            }

            yield return leader;
            var deleted = false;
            await foreach (var response in client.Watch.WatchAsync(leader.KeyBytes, new WatchOptions { StartRevision = revision + 1 }, cancellationToken).ConfigureAwait(false))
            {
                foreach (var e in response.Events)
                {
                    if (e.Type == WatchEventType.Delete)
                    {
                        deleted = true;
                        break;
                    }

                    yield return e.Kv;
                }

                if (deleted)
                {
                    break;
                }
            }

            if (!deleted)
            {
                yield break;
            }
        }
    }

    /// <summary>The election's name and this candidate's key.</summary>
    /// <returns>Such as <c>election /elections/scheduler/ (key none)</c>.</returns>
    public override string ToString() => $"election {Prefix} (key {(Key.Length == 0 ? "none" : Key)})";

    /// <summary>Waits for the first candidate's key while nobody leads; <see langword="null"/> when the watch ends.</summary>
    private async Task<KeyValue?> FirstPutAsync(EtcdClient client, long revision, CancellationToken cancellationToken)
    {
        var options = new WatchOptions { Prefix = true, StartRevision = revision };
        await foreach (var response in client.Watch.WatchAsync(Prefix, options, cancellationToken).ConfigureAwait(false))
        {
            // Only a put makes a leader; a delete of a candidate that was never leader changes nothing.
            var put = response.Events.FirstOrDefault(e => e.Type == WatchEventType.Put);
            if (put is not null)
            {
                return put.Kv;
            }
        }

        return null;
    }

    /// <summary>Withdraws the candidacy after a failed wait, so that it does not block the candidates behind it.</summary>
    private async Task WithdrawAsync()
    {
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(_session.TtlSeconds));
        try
        {
            await ResignAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is EtcdException or OperationCanceledException)
        {
            // The key is attached to the session's lease, so it goes when the lease does; the caller gets the
            // failure that ended the wait, which matters more.
            _leading = false;
        }
    }
}
