namespace EtcdConfiguration.Client;

/// <summary>One change to one key, as a watch delivers it.</summary>
public sealed class WatchEvent
{
    internal WatchEvent(Wire.Mvcc.Event wire)
    {
        Type = wire.Type == Wire.Mvcc.Event.Types.EventType.Delete ? WatchEventType.Delete : WatchEventType.Put;
        Kv = new KeyValue(wire.Kv ?? new Wire.Mvcc.KeyValue());
        PrevKv = KeyValue.FromOptional(wire.PrevKv);
    }

    /// <summary>An event with rewritten keys (a namespace view strips its prefix).</summary>
    internal WatchEvent(WatchEventType type, KeyValue kv, KeyValue? prevKv)
    {
        Type = type;
        Kv = kv;
        PrevKv = prevKv;
    }

    /// <summary>Whether the key was put or deleted.</summary>
    public WatchEventType Type { get; }

    /// <summary>
    /// The key after the change. For a delete it holds the key and the revision of the delete
    /// (<see cref="KeyValue.ModRevision"/>), with an empty value.
    /// </summary>
    public KeyValue Kv { get; }

    /// <summary>
    /// The key before the change, when the watch asked for it (<see cref="WatchOptions.PrevKv"/>) and the key
    /// existed; otherwise <see langword="null"/>.
    /// </summary>
    public KeyValue? PrevKv { get; }

    /// <summary>Whether this event created the key (a put of a key that did not exist).</summary>
    public bool IsCreate => Type == WatchEventType.Put && Kv.CreateRevision == Kv.ModRevision;

    /// <summary>Whether this event changed an existing key (a put of a key that existed).</summary>
    public bool IsModify => Type == WatchEventType.Put && Kv.CreateRevision != Kv.ModRevision;

    /// <summary>The event type and the key, never the value.</summary>
    /// <returns>Such as <c>Put /app/db (create 5, mod 9, version 3)</c>.</returns>
    public override string ToString() => $"{Type} {Kv}";
}
