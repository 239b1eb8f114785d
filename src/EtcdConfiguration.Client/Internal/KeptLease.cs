using System.Threading.Channels;

namespace EtcdConfiguration.Client.Internal;

/// <summary>
/// One lease the keep-alive loop renews: when it is due next, whether a renewal is in flight, and the readers
/// that want its renewals. Only the <see cref="LeaseKeepAliver"/> touches it, under its lock.
/// </summary>
internal sealed class KeptLease(long id, TimeProvider time)
{
    private readonly List<Channel<LeaseKeepAliveResponse>> _readers = [];

    public long Id { get; } = id;

    /// <summary>When the next renewal is due, as a <see cref="System.Diagnostics.Stopwatch"/> timestamp (the monotonic clock).</summary>
    public long DueAt { get; set; } = long.MinValue;

    /// <summary>When the renewal in flight was sent, as a <see cref="System.Diagnostics.Stopwatch"/> timestamp; <see langword="null"/> when none is.</summary>
    public long? SentAt { get; set; }

    /// <summary>When the lease runs out unless renewed, on the client's clock.</summary>
    public LeaseDeadline Deadline { get; } = new(time);

    public bool HasReaders => _readers.Count > 0;

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
}
