using System.Collections.ObjectModel;

namespace EtcdConfiguration.Client;

/// <summary>
/// One batch of a watch: the events of one or more revisions, in revision order; or the confirmation that the
/// watch was created; or a progress notification.
/// </summary>
/// <remarks>
/// A watch yields first a response with <see cref="Created"/> set and no events (its header revision is the
/// revision the watch started at when it watches "from now"); then responses with events and, when asked for,
/// progress notifications. A watch that etcd ends (compaction, missing permission) throws a typed
/// <see cref="EtcdException"/> (<see cref="EtcdCompactedException.CompactRevision"/> says where history starts)
/// instead of yielding a canceled response.
/// </remarks>
public sealed class WatchResponse
{
    internal WatchResponse(ResponseHeader header, IReadOnlyList<WatchEvent> events, bool created = false)
    {
        Header = header;
        Events = events;
        Created = created;
    }

    /// <summary>
    /// The response header. With events, its <see cref="ResponseHeader.Revision"/> is the store revision when the
    /// batch was sent (at least the last event's); in a progress notification, the revision every event before it
    /// has been delivered up to.
    /// </summary>
    public ResponseHeader Header { get; }

    /// <summary>The changes, in revision order; empty for a created response or a progress notification.</summary>
    public IReadOnlyList<WatchEvent> Events { get; }

    /// <summary>Whether this response confirms the creation of the watch (the first response of every watch).</summary>
    public bool Created { get; }

    /// <summary>
    /// Whether this is a progress notification: no events and not the created response. Its header revision
    /// tells how far the watch has come while nothing matched.
    /// </summary>
    public bool IsProgressNotify => Events.Count == 0 && !Created;

    internal static IReadOnlyList<WatchEvent> NoEvents { get; } = ReadOnlyCollection<WatchEvent>.Empty;
}
