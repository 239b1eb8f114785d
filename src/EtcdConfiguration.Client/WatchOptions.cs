namespace EtcdConfiguration.Client;

/// <summary>
/// What a watch follows (one key, a prefix, a range, every key from a key on), from which revision, and which
/// events and extras it delivers. The counterpart of Go's <c>clientv3.WithPrefix()</c>, <c>WithRev()</c>,
/// <c>WithPrevKV()</c>, <c>WithFilterPut()</c>...
/// </summary>
/// <remarks>
/// At most one of <see cref="Prefix"/>, <see cref="FromKey"/>, <see cref="RangeEnd"/> and
/// <see cref="RangeEndBytes"/> may be set. The options are read when the watch starts.
/// </remarks>
/// <example>
/// <code>
/// await foreach (var response in client.Watch.WatchAsync("/app/", new WatchOptions { Prefix = true, PrevKv = true }, ct))
/// {
///     foreach (var e in response.Events) { Console.WriteLine($"{e.Type} {e.Kv.Key}"); }
/// }
/// </code>
/// </example>
public sealed class WatchOptions
{
    /// <summary>
    /// Watch every key that starts with the given key; an empty key with this option watches every key. Note that
    /// prefix <c>/test</c> also matches <c>/testspam</c>; end a directory-like prefix with <c>/</c>.
    /// </summary>
    public bool Prefix { get; set; }

    /// <summary>Watch every key greater than or equal to the given key.</summary>
    public bool FromKey { get; set; }

    /// <summary>Watch the range [key, <see cref="RangeEnd"/>), the end given as a UTF-8 string.</summary>
    public string? RangeEnd { get; set; }

    /// <summary>Watch the range [key, <see cref="RangeEndBytes"/>), the end given as bytes.</summary>
    public ReadOnlyMemory<byte>? RangeEndBytes { get; set; }

    /// <summary>
    /// Deliver the changes from this revision on, replaying history first; 0 (the default) means "from now":
    /// changes after the revision in the header of the first (<see cref="WatchResponse.Created"/>) response.
    /// A revision older than the last compaction ends the watch with <see cref="EtcdCompactedException"/>.
    /// </summary>
    public long StartRevision { get; set; }

    /// <summary>Deliver each key's previous value with its event (<see cref="WatchEvent.PrevKv"/>).</summary>
    public bool PrevKv { get; set; }

    /// <summary>
    /// Ask etcd to send a progress notification (a response with no events and
    /// <see cref="WatchResponse.IsProgressNotify"/> set) now and then while nothing changes.
    /// </summary>
    public bool ProgressNotify { get; set; }

    /// <summary>Leave out put events: only deletes are delivered.</summary>
    public bool NoPut { get; set; }

    /// <summary>Leave out delete events: only puts are delivered.</summary>
    public bool NoDelete { get; set; }
}
