using EtcdConfiguration.Client;
using EtcdConfiguration.Mapping;
using EtcdConfiguration.Tool.Cli;

namespace EtcdConfiguration.Tool.Etcd;

/// <summary>
/// Runs a <see cref="WritePlan"/> as transactions guarded by what the plan read, so a concurrent writer makes the
/// write fail instead of being overwritten. Every transaction requires each key it touches to still have the mod
/// revision the plan read (0: still absent), which also catches a concurrent delete. The first transaction also
/// requires that no key under the prefix was created or changed after the plan's revision, so a plan that fits
/// one transaction is all or nothing against any concurrent write under the prefix.
/// </summary>
/// <remarks>
/// A plan larger than one transaction sends the first alone (so any concurrent change aborts it before anything is
/// written), then the rest a few at a time: each key appears once in a plan, so their order does not matter.
/// The prefix-wide guard is not repeated because etcd evaluates it by reading every key under the prefix, which
/// would make a large import quadratic.
/// </remarks>
internal static class GuardedWriter
{
    /// <summary>
    /// Operations per transaction: etcd 3.4 allows 128 by default (<c>--max-txn-ops</c>), for the compares and for
    /// the operations each, and the first transaction compares the prefix once plus every key it touches.
    /// </summary>
    public const int MaxOperationsPerTransaction = 127;

    // Transactions in flight after the first; etcd applies them in order anyway, this only hides the round trips.
    private const int InFlight = 4;

    /// <summary>Runs the plan; returns the revision of its last transaction (the base revision when it is empty).</summary>
    /// <exception cref="ToolException">A concurrent writer changed a key the plan read; says how many transactions were applied.</exception>
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

        var chunks = operations.Chunk(MaxOperationsPerTransaction).ToList();
        if (chunks.Count == 0)
        {
            return plan.BaseRevision;
        }

        var prefixGuard = Compare.ModRevision(mapper.PrefixBytes, CompareResult.Less, plan.BaseRevision + 1).WithRange(mapper.RangeEnd);
        var first = await CommitAsync(client, chunks[0], prefixGuard, cancellationToken);
        if (!first.Succeeded)
        {
            throw Conflict(mapper, plan, applied: 0, chunks.Count);
        }

        long revision = first.Header.Revision;
        int applied = 1;
        using var gate = new SemaphoreSlim(InFlight);
        var pending = new List<Task<TxnResponse>>();
        foreach (var chunk in chunks.Skip(1))
        {
            await gate.WaitAsync(cancellationToken);
            pending.Add(CommitReleasingAsync(client, chunk, gate, cancellationToken));
        }

        var responses = await Task.WhenAll(pending);
        applied += responses.Count(r => r.Succeeded);
        if (applied < chunks.Count)
        {
            throw Conflict(mapper, plan, applied, chunks.Count);
        }

        return Math.Max(revision, responses.Length == 0 ? revision : responses.Max(r => r.Header.Revision));
    }

    private static async Task<TxnResponse> CommitReleasingAsync(EtcdClient client, (Op Op, Compare? Guard)[] chunk, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        try
        {
            return await CommitAsync(client, chunk, null, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private static Task<TxnResponse> CommitAsync(EtcdClient client, (Op Op, Compare? Guard)[] chunk, Compare? prefixGuard, CancellationToken cancellationToken)
    {
        var compares = new List<Compare>(chunk.Length + 1);
        if (prefixGuard is not null)
        {
            compares.Add(prefixGuard);
        }

        compares.AddRange(chunk.Where(c => c.Guard is not null).Select(c => c.Guard!));
        return client.KV.Txn().If([.. compares]).Then([.. chunk.Select(c => c.Op)]).CommitAsync(cancellationToken);
    }

    private static ToolException Conflict(KeyMapper mapper, WritePlan plan, int applied, int total)
    {
        var what = applied == 0
            ? "nothing was written"
            : $"{applied} of {total} transactions were applied, the others were not, and nothing of the other writer's was overwritten";
        return new ToolException($"Keys under '{mapper.Prefix}' changed after revision {plan.BaseRevision} (another writer): {what}. Review with 'etcd-config diff' and run the command again.");
    }
}
