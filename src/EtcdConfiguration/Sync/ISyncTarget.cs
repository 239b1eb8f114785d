using EtcdConfiguration.Client;

namespace EtcdConfiguration.Sync;

/// <summary>
/// What <see cref="EtcdSyncLoop"/> needs of the provider, and no more: where the data stands, a way to re-read the
/// snapshot, a place to apply each watch batch, and a place to report a failure it retries.
/// </summary>
internal interface ISyncTarget
{
    /// <summary>The etcd revision the data reflects; the watch resumes after it.</summary>
    long Revision { get; }

    /// <summary>Reads a consistent snapshot of the prefix and makes the data equal to it.</summary>
    Task LoadSnapshotAsync(CancellationToken cancellationToken);

    /// <summary>Applies every watch response received so far as one batch.</summary>
    void ApplyBatch(IReadOnlyList<WatchResponse> responses);

    /// <summary>The background load or watch failed and will be retried (never called for a compaction).</summary>
    void ReportFailure(EtcdException failure, bool duringSnapshot);
}
