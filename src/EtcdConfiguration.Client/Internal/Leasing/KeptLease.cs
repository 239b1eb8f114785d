using System.Diagnostics;
using System.Threading.Channels;

namespace EtcdConfiguration.Client.Internal.Leasing;

/// <summary>
/// One lease the keep-alive loop renews: when its next renewal is due (a third of its TTL after the last), whether
/// a renewal is in flight, when it must be presumed expired, and the readers that want its renewals. Only the
/// <see cref="LeaseTable"/> touches it, under its lock.
/// </summary>
internal sealed class KeptLease(long id, TimeProvider time)
{
    private readonly List<Channel<LeaseKeepAliveResponse>> _readers = [];

    // When the next renewal is due and when the one in flight was sent, as Stopwatch timestamps (the monotonic clock).
    private long _dueAt = long.MinValue;
    private long? _sentAt;

    public long Id { get; } = id;

    /// <summary>When the lease runs out unless renewed, on the client's clock.</summary>
    public LeaseDeadline Deadline { get; } = new(time);

    public bool HasReaders => _readers.Count > 0;

    /// <summary>Whether a renewal was sent and not answered yet.</summary>
    public bool InFlight => _sentAt is not null;

    /// <summary>Renew at the next chance (a new reader, a new stream); a renewal in flight is forgotten.</summary>
    public void RenewNow()
    {
        _dueAt = long.MinValue;
        _sentAt = null;
    }

    /// <summary>
    /// What the sender does with this lease at <paramref name="now"/>: send a renewal (marked in flight), give up on
    /// the stream because the one in flight went unanswered longer than <paramref name="timeout"/>, or wait
    /// (shortening <paramref name="wait"/> to when it is due).
    /// </summary>
    public RenewalStep Step(long now, TimeSpan timeout, ref TimeSpan wait)
    {
        if (_sentAt is { } sent)
        {
            return Stopwatch.GetElapsedTime(sent, now) > timeout ? RenewalStep.Stalled : RenewalStep.Wait;
        }

        if (_dueAt <= now)
        {
            _sentAt = now;
            return RenewalStep.Send;
        }

        var untilDue = Stopwatch.GetElapsedTime(now, _dueAt);
        if (untilDue < wait)
        {
            wait = untilDue;
        }

        return RenewalStep.Wait;
    }

    /// <summary>etcd renewed the lease for <paramref name="ttlSeconds"/>: the next renewal is due a third of it from now.</summary>
    public void Renewed(long ttlSeconds)
    {
        _sentAt = null;
        _dueAt = Stopwatch.GetTimestamp() + (long)(ttlSeconds / 3.0 * Stopwatch.Frequency);
        Deadline.Renewed(ttlSeconds);
    }

    /// <summary>etcd answered the renewal with TTL 0: nothing is in flight any more.</summary>
    public void Answered() => _sentAt = null;

    public Channel<LeaseKeepAliveResponse> AddReader()
    {
        // A reader needs the latest renewal and the end, not every renewal it was too slow to take.
        var reader = Channel.CreateBounded<LeaseKeepAliveResponse>(
            new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        _readers.Add(reader);
        return reader;
    }

    public bool RemoveReader(Channel<LeaseKeepAliveResponse> reader) => _readers.Remove(reader);

    public void Publish(LeaseKeepAliveResponse response)
    {
        foreach (var reader in _readers)
        {
            reader.Writer.TryWrite(response);
        }
    }

    /// <summary>Ends every reader's enumeration: normally (null) or by throwing <paramref name="failure"/>.</summary>
    public void Complete(Exception? failure)
    {
        foreach (var reader in _readers)
        {
            reader.Writer.TryComplete(failure);
        }

        _readers.Clear();
    }

    /// <summary>What the keep-alive sender does with one lease now.</summary>
    public enum RenewalStep
    {
        /// <summary>Nothing yet.</summary>
        Wait,

        /// <summary>Send a renewal.</summary>
        Send,

        /// <summary>The renewal in flight went unanswered too long: the stream is stalled.</summary>
        Stalled,
    }
}
