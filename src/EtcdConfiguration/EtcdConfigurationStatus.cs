namespace EtcdConfiguration;

/// <summary>
/// A read-only picture of one <see cref="EtcdConfigurationProvider"/>: where its data comes from, how recent it is
/// and what went wrong last. It names keys and endpoints, never values. See <see cref="EtcdConfigurationProvider.Status"/>.
/// </summary>
public sealed class EtcdConfigurationStatus
{
    /// <summary>The normalised key prefix, ending with <c>/</c>.</summary>
    public string Prefix { get; init; } = string.Empty;

    /// <summary>Where the data comes from and whether it follows etcd.</summary>
    public EtcdConfigurationState State { get; init; }

    /// <summary>
    /// The etcd revision the data reflects: the cache file's when <see cref="State"/> is
    /// <see cref="EtcdConfigurationState.Stale"/>, 0 when there is no data.
    /// </summary>
    public long Revision { get; init; }

    /// <summary>How many configuration keys the provider holds.</summary>
    public int KeyCount { get; init; }

    /// <summary>When the data last changed (including the first load); <see langword="null"/> before that.</summary>
    public DateTimeOffset? LastChange { get; init; }

    /// <summary>The message of the last failure (it names endpoints and keys, never values); <see langword="null"/> if none.</summary>
    public string? LastError { get; init; }

    /// <summary>When <see cref="LastError"/> happened.</summary>
    public DateTimeOffset? LastErrorTime { get; init; }

    /// <summary>
    /// The etcd keys currently skipped for bad input (a value that does not decode, a name that is not UTF-8),
    /// in ordinal order. Each keeps its last good contribution until it is fixed or deleted.
    /// </summary>
    public IReadOnlyList<string> SkippedKeys { get; init; } = [];

    /// <summary>
    /// The etcd endpoint the watch stream is on right now; <see langword="null"/> while it reconnects, or when the
    /// source does not watch.
    /// </summary>
    public string? WatchEndpoint { get; init; }

    /// <summary>
    /// The etcd revision whose changes are held back because an options type gated with <c>ValidateEtcdChanges()</c>
    /// would not validate with them; <see langword="null"/> when nothing is held back. The keys under that type's
    /// sections keep their last valid values until a later state of etcd validates.
    /// </summary>
    public long? RejectedRevision { get; init; }

    /// <summary>
    /// Why <see cref="RejectedRevision"/> is held back: per options type, the sections it reads and the validators'
    /// messages (they name members, never values). Empty when nothing is held back.
    /// </summary>
    public IReadOnlyList<string> ValidationFailures { get; init; } = [];

    /// <summary>The cache file, when <see cref="EtcdConfigurationSource.CacheFile"/> is set.</summary>
    public string? CacheFile { get; init; }

    /// <summary>When the data came from the cache file (<see cref="EtcdConfigurationState.Stale"/>): when that file was written.</summary>
    public DateTimeOffset? CacheWrittenAt { get; init; }
}
