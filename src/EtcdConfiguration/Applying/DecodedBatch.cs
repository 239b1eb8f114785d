using EtcdConfiguration.Mapping;

namespace EtcdConfiguration.Applying;

/// <summary>
/// A watch batch turned into store changes: what to apply, what was skipped and why, and how far it reaches.
/// </summary>
internal sealed class DecodedBatch
{
    /// <summary>The changes to apply, in event order; a bad value is a <see cref="EtcdKeyChange.Keep"/> change.</summary>
    public List<EtcdKeyChange> Changes { get; } = [];

    /// <summary>The keys skipped for a bad value or name, with the reason (it names the key, never the value).</summary>
    public List<(string Key, FormatException Failure)> Skipped { get; } = [];

    /// <summary>
    /// Keys whose name is not UTF-8: never among the changes, skipped when put and no longer skipped when deleted.
    /// </summary>
    public List<(string Key, bool Skipped)> BadNames { get; } = [];

    /// <summary>The highest revision of the batch's new events, or the current revision when it has none.</summary>
    public long Reached { get; set; }

    /// <summary>Whether a response of the batch is the one that created the watch (so the watch works again).</summary>
    public bool WatchCreated { get; set; }

    /// <summary>Each etcd key the batch touched, in event order, and whether it was skipped.</summary>
    public IEnumerable<(string Key, bool Skipped)> Outcomes()
    {
        foreach (var change in Changes)
        {
            yield return (change.EtcdKey, change.KeepsCurrent);
        }

        foreach (var outcome in BadNames)
        {
            yield return outcome;
        }
    }
}
