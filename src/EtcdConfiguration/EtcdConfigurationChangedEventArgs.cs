namespace EtcdConfiguration;

/// <summary>
/// What one applied batch from etcd changed, for <see cref="EtcdConfigurationProvider.Changed"/>: the revision the
/// data now reflects and every configuration key whose value (or presence) readers see differently.
/// </summary>
public sealed class EtcdConfigurationChangedEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="revision">The etcd revision the data now reflects.</param>
    /// <param name="changes">The changed configuration keys.</param>
    public EtcdConfigurationChangedEventArgs(long revision, IReadOnlyList<EtcdConfigurationChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        Revision = revision;
        Changes = changes;
    }

    /// <summary>The etcd revision the data now reflects (a transaction's changes share one).</summary>
    public long Revision { get; }

    /// <summary>The configuration keys that changed, in key order; never empty.</summary>
    public IReadOnlyList<EtcdConfigurationChange> Changes { get; }
}
