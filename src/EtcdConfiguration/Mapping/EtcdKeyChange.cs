namespace EtcdConfiguration.Mapping;

/// <summary>
/// A new state for one etcd key, as <see cref="Store.ConfigurationStore"/> applies it.
/// </summary>
/// <param name="EtcdKey">The whole etcd key (prefix included); etcd keys are compared ordinally.</param>
/// <param name="SegmentCount">The depth of the key's configuration path, from <see cref="KeyMapper.TryMap"/>.</param>
/// <param name="Contribution">
/// The configuration pairs the key now gives, keys unique case-insensitively (as <see cref="ValueDecoder"/>
/// produces them); <see langword="null"/> or empty when the key was deleted or gives nothing.
/// </param>
/// <param name="IsOverride">
/// Whether the key is a temporary override (under <see cref="KeyMapper.OverridesSegment"/>): its pairs outrank every
/// ordinary key's while it exists.
/// </param>
internal readonly record struct EtcdKeyChange(
    string EtcdKey,
    int SegmentCount,
    IReadOnlyList<KeyValuePair<string, string?>>? Contribution,
    bool IsOverride = false)
{
    /// <summary>
    /// The key exists but its new value could not be decoded: it keeps whatever it gave before. In
    /// <see cref="Store.ConfigurationStore.Apply"/> this changes nothing (and does not cancel an earlier change of the
    /// key in the same batch); in <see cref="Store.ConfigurationStore.ReplaceAll"/> it keeps the key from being deleted.
    /// </summary>
    public bool KeepsCurrent { get; private init; }

    /// <summary>The etcd key was deleted: whatever it gave is withdrawn.</summary>
    public static EtcdKeyChange Delete(string etcdKey) => new(etcdKey, 0, null);

    /// <summary>The etcd key holds a value that could not be decoded: it keeps its last good contribution.</summary>
    public static EtcdKeyChange Keep(string etcdKey) => new(etcdKey, 0, null) { KeepsCurrent = true };
}
