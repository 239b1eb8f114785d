namespace EtcdConfiguration.Tool.Etcd;

/// <summary>
/// What a writing command will do under a prefix, decided from what it read at <see cref="BaseRevision"/>: single
/// keys to put or delete, and whole key ranges to delete (the document layout's prune).
/// </summary>
internal sealed record WritePlan(
    long BaseRevision,
    IReadOnlyList<PlannedWrite> Writes,
    IReadOnlyList<(ReadOnlyMemory<byte> From, ReadOnlyMemory<byte> To)> RangeDeletes)
{
    /// <summary>How many etcd operations the plan takes.</summary>
    public int OperationCount => Writes.Count + RangeDeletes.Count;

    /// <summary>How many transactions the plan takes at <see cref="GuardedWriter.MaxOperationsPerTransaction"/>.</summary>
    public int TransactionCount => OperationCount == 0 ? 0 : (OperationCount + GuardedWriter.MaxOperationsPerTransaction - 1) / GuardedWriter.MaxOperationsPerTransaction;
}
