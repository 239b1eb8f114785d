using EtcdConfiguration.Client;
using EtcdConfiguration.Tool.Cli;

namespace EtcdConfiguration.Tool.Etcd;

/// <summary>
/// Runs a <see cref="WritePlan"/> as transactions guarded by the revision the plan was read at, so a concurrent
/// writer makes the write fail instead of being overwritten. Each transaction requires that no key under the prefix
/// was created or changed after the revision of the previous step (the read, then each earlier transaction of this
/// plan), and that every key it touches still has the mod revision the plan read (which also catches a concurrent
/// delete of such a key).
/// </summary>
internal static class GuardedWriter
{
    /// <summary>
    /// Operations per transaction: etcd 3.4 allows 128 by default (<c>--max-txn-ops</c>), for the compares and for
    /// the operations each, and each transaction compares the prefix once plus every key it touches.
    /// </summary>
    public const int MaxOperationsPerTransaction = 127;

    /// <summary>Runs the plan; returns the revision of its last transaction (the base revision when it is empty).</summary>
    /// <exception cref="ToolException">A concurrent writer changed the prefix; says how many transactions were applied.</exception>
    public static async Task<long> ApplyAsync(EtcdClient client, string prefix, WritePlan plan, CancellationToken cancellationToken)
    {
        var mapper = new KeyMapper(prefix);
        var operations = new List<(Op Op, Compare? Guard)>(plan.OperationCount);
        foreach (var write in plan.Writes)
        {
            var op = write.Value is { } value ? Op.Put(write.Key, value) : Op.Delete(write.Key);
            operations.Add((op, Compare.ModRevision(write.Key, CompareResult.Equal, write.ExpectedModRevision)));
        }

        foreach (var (from, to) in plan.RangeDeletes)
        {
            operations.Add((Op.Delete(from, new DeleteOptions { RangeEndBytes = to }), null));
        }

        var revision = plan.BaseRevision;
        var total = plan.TransactionCount;
        for (int i = 0, done = 0; i < operations.Count; i += MaxOperationsPerTransaction, done++)
        {
            var chunk = operations.GetRange(i, Math.Min(MaxOperationsPerTransaction, operations.Count - i));
            var compares = new List<Compare>(chunk.Count + 1)
            {
                Compare.ModRevision(mapper.PrefixBytes, CompareResult.Less, revision + 1).WithRange(mapper.RangeEnd),
            };
            compares.AddRange(chunk.Where(c => c.Guard is not null).Select(c => c.Guard!));
            var response = await client.KV.Txn()
                .If([.. compares])
                .Then([.. chunk.Select(c => c.Op)])
                .CommitAsync(cancellationToken);
            if (!response.Succeeded)
            {
                var applied = done == 0
                    ? "nothing was written"
                    : $"{done} of {total} transactions were applied before it, and nothing of the other writer's was overwritten";
                throw new ToolException($"Keys under '{mapper.Prefix}' changed after revision {revision} (another writer): {applied}. Review with 'etcd-config diff' and run the command again.");
            }

            revision = response.Header.Revision;
        }

        return revision;
    }
}
