using System.Threading.Channels;

namespace EtcdConfiguration.Client.Internal.Watching;

/// <summary>
/// One watcher of the shared stream: what it asked for, how far it has been delivered, and its own buffer so a
/// slow reader never holds up the stream or loses events. Only the <see cref="WatchMultiplexer"/> calls the
/// state-changing members, under its lock.
/// </summary>
internal sealed class WatchSubscription
{
    private readonly Wire.WatchCreateRequest _template;
    private readonly Channel<WatchResponse> _buffer = Channel.CreateUnbounded<WatchResponse>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    // Everything up to this revision has been delivered (or precedes the watch); -1 while unknown, which only a
    // watch "from now" that etcd has not created yet can be.
    private long _lastRevision;
    private bool _createdDelivered;
    private List<Wire.Mvcc.Event>? _fragments;

    public WatchSubscription(Wire.WatchCreateRequest template)
    {
        _template = template;
        _lastRevision = template.StartRevision - 1;
        Description = WatchRequests.Describe(template);
    }

    /// <summary>The watched key or range, for messages.</summary>
    public string Description { get; }

    public ChannelReader<WatchResponse> Reader => _buffer.Reader;

    /// <summary>The last revision delivered to the reader (or the one before the start); -1 while unknown.</summary>
    public long LastRevision => _lastRevision;

    /// <summary>Set when the reader left; the watch is being canceled.</summary>
    public bool Removed { get; set; }

    /// <summary>Whether the current token was already replaced once because etcd refused this watch.</summary>
    public bool RetriedWithFreshToken { get; set; }

    /// <summary>The create request for (re)creating this watch: from the revision after the last one delivered.</summary>
    public Wire.WatchRequest NextCreateRequest()
    {
        var create = _template.Clone();
        create.StartRevision = _lastRevision >= 0 ? _lastRevision + 1 : 0;
        _fragments = null;
        return new Wire.WatchRequest { CreateRequest = create };
    }

    /// <summary>etcd created (or re-created) the watch; the first time, the reader is told.</summary>
    public void OnCreated(Wire.WatchResponse response)
    {
        RetriedWithFreshToken = false;
        if (_lastRevision < 0)
        {
            _lastRevision = response.Header?.Revision ?? 0;
        }

        if (!_createdDelivered)
        {
            _createdDelivered = true;
            _buffer.Writer.TryWrite(new WatchResponse(ResponseHeader.From(response.Header), WatchResponse.NoEvents, created: true));
        }
    }

    /// <summary>
    /// Takes a response with events (or a progress notification), joining fragments, and delivers what the reader
    /// has not seen: events at or below the last delivered revision were replayed after a reconnect and are dropped.
    /// </summary>
    public void OnEvents(Wire.WatchResponse response)
    {
        if (response.Fragment)
        {
            (_fragments ??= []).AddRange(response.Events);
            return;
        }

        IEnumerable<Wire.Mvcc.Event> events = response.Events;
        var hadEvents = response.Events.Count > 0;
        if (_fragments is not null)
        {
            _fragments.AddRange(response.Events);
            events = _fragments;
            hadEvents = true;
            _fragments = null;
        }

        var fresh = new List<WatchEvent>();
        foreach (var wire in events)
        {
            if ((wire.Kv?.ModRevision ?? 0) > _lastRevision)
            {
                fresh.Add(new WatchEvent(wire));
            }
        }

        if (hadEvents && fresh.Count == 0)
        {
            return;
        }

        if (fresh.Count > 0)
        {
            _lastRevision = Math.Max(_lastRevision, fresh[^1].Kv.ModRevision);
        }

        _buffer.Writer.TryWrite(new WatchResponse(
            ResponseHeader.From(response.Header),
            fresh.Count == 0 ? WatchResponse.NoEvents : fresh.AsReadOnly()));
    }

    /// <summary>A progress notification meant for every watcher of the stream.</summary>
    public void OnProgress(Wire.WatchResponse response)
    {
        if (_createdDelivered)
        {
            _buffer.Writer.TryWrite(new WatchResponse(ResponseHeader.From(response.Header), WatchResponse.NoEvents));
        }
    }

    /// <summary>Ends the reader's enumeration: normally (null) or by throwing <paramref name="failure"/> after what is buffered.</summary>
    public void Complete(Exception? failure) => _buffer.Writer.TryComplete(failure);
}
