namespace EtcdConfiguration.Client;

/// <summary>
/// How <see cref="KVClient.GetAsync(string, GetOptions?, CancellationToken)"/> reads: one key (the default), a
/// prefix, a range or everything from a key on; at which revision; how many, in which order, and how much of
/// each key. The counterpart of Go's <c>clientv3.WithPrefix()</c>, <c>WithRev()</c>, <c>WithLimit()</c>...
/// </summary>
/// <remarks>
/// At most one of <see cref="Prefix"/>, <see cref="FromKey"/>, <see cref="RangeEnd"/> and
/// <see cref="RangeEndBytes"/> may be set. The options are read when the request is built, so one instance can be
/// reused and changed between calls.
/// </remarks>
/// <example>
/// <code>
/// var page = await client.KV.GetAsync("/test/", new GetOptions { Prefix = true, Limit = 100, Revision = rev });
/// </code>
/// </example>
public sealed class GetOptions
{
    /// <summary>
    /// Read every key that starts with the given key. An empty key with this option reads every key.
    /// Note that prefix <c>/test</c> also matches <c>/testspam</c>; end a directory-like prefix with <c>/</c>.
    /// </summary>
    public bool Prefix { get; set; }

    /// <summary>Read every key greater than or equal to the given key (an empty key: every key).</summary>
    public bool FromKey { get; set; }

    /// <summary>Read the range [key, <see cref="RangeEnd"/>), the end given as a UTF-8 string.</summary>
    public string? RangeEnd { get; set; }

    /// <summary>Read the range [key, <see cref="RangeEndBytes"/>), the end given as bytes.</summary>
    public ReadOnlyMemory<byte>? RangeEndBytes { get; set; }

    /// <summary>
    /// Read the keys as they were at this revision; 0 (the default) reads the latest. A revision older than the
    /// last compaction fails with <see cref="EtcdCompactedException"/>.
    /// </summary>
    public long Revision { get; set; }

    /// <summary>
    /// Return at most this many keys; 0 (the default) means no limit. <see cref="GetResponse.More"/> tells whether
    /// keys were left out and <see cref="GetResponse.Count"/> how many the range holds in all.
    /// </summary>
    public long Limit { get; set; }

    /// <summary>The order of the keys returned (default: ascending by key).</summary>
    public SortOrder SortOrder { get; set; }

    /// <summary>What <see cref="SortOrder"/> sorts by (default: the key).</summary>
    public SortTarget SortTarget { get; set; }

    /// <summary>
    /// Let the member that is asked answer from its own state without consulting the leader: faster and available
    /// without a quorum, but possibly stale.
    /// </summary>
    public bool Serializable { get; set; }

    /// <summary>Return keys and their metadata without values.</summary>
    public bool KeysOnly { get; set; }

    /// <summary>Return only <see cref="GetResponse.Count"/>, no keys.</summary>
    public bool CountOnly { get; set; }

    /// <summary>Only keys last modified at or after this revision (0: no lower bound).</summary>
    public long MinModRevision { get; set; }

    /// <summary>Only keys last modified at or before this revision (0: no upper bound).</summary>
    public long MaxModRevision { get; set; }

    /// <summary>Only keys created at or after this revision (0: no lower bound).</summary>
    public long MinCreateRevision { get; set; }

    /// <summary>Only keys created at or before this revision (0: no upper bound).</summary>
    public long MaxCreateRevision { get; set; }
}
