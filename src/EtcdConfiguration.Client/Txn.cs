namespace EtcdConfiguration.Client;

/// <summary>
/// A transaction being built: <c>If(conditions).Then(operations).Else(operations)</c>, then
/// <see cref="CommitAsync"/> runs it atomically. Get one from <see cref="KVClient.Txn"/>. As in Go's clientv3,
/// each part may be given once and in this order; all are optional (no conditions: always true).
/// </summary>
/// <remarks>
/// A builder is not thread-safe; build it in one place. It can be committed more than once.
/// A transaction that only reads is retried on transient failures like a get; one that writes is not, since it may
/// have been applied before the failure.
/// </remarks>
/// <example>
/// <code>
/// var response = await client.KV.Txn()
///     .If(Compare.Value("/config/version", CompareResult.Equal, "41"))
///     .Then(Op.Put("/config/version", "42"), Op.Put("/config/data", json))
///     .Else(Op.Get("/config/version"))
///     .CommitAsync();
/// if (!response.Succeeded) { var current = response.Responses[0].Get!.Kvs[0].Value; }
/// </code>
/// </example>
public sealed class Txn
{
    private readonly Func<Op, CancellationToken, Task<TxnResponse>> _commit;
    private Compare[] _compares = [];
    private Op[] _then = [];
    private Op[] _else = [];
    private bool _ifCalled;
    private bool _thenCalled;
    private bool _elseCalled;

    /// <param name="commit">Runs the finished transaction: the client's, or a namespace view's that rewrites keys.</param>
    internal Txn(Func<Op, CancellationToken, Task<TxnResponse>> commit) => _commit = commit;

    /// <summary>The conditions: the Then operations run when every one holds, the Else operations otherwise.</summary>
    /// <param name="compares">The conditions.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">If was already called, or Then or Else came first.</exception>
    public Txn If(params Compare[] compares)
    {
        ArgumentNullException.ThrowIfNull(compares);
        if (_ifCalled || _thenCalled || _elseCalled)
        {
            throw new InvalidOperationException(_ifCalled
                ? "Txn.If can be called only once; pass every condition to one call."
                : "Txn.If must come before Then and Else.");
        }

        _ifCalled = true;
        _compares = [.. compares];
        return this;
    }

    /// <summary>The operations to run when every condition holds.</summary>
    /// <param name="ops">The operations.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">Then was already called, or Else came first.</exception>
    public Txn Then(params Op[] ops)
    {
        ArgumentNullException.ThrowIfNull(ops);
        if (_thenCalled || _elseCalled)
        {
            throw new InvalidOperationException(_thenCalled
                ? "Txn.Then can be called only once; pass every operation to one call."
                : "Txn.Then must come before Else.");
        }

        _thenCalled = true;
        _then = [.. ops];
        return this;
    }

    /// <summary>The operations to run when a condition fails.</summary>
    /// <param name="ops">The operations.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">Else was already called.</exception>
    public Txn Else(params Op[] ops)
    {
        ArgumentNullException.ThrowIfNull(ops);
        if (_elseCalled)
        {
            throw new InvalidOperationException("Txn.Else can be called only once; pass every operation to one call.");
        }

        _elseCalled = true;
        _else = [.. ops];
        return this;
    }

    /// <summary>Runs the transaction atomically.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the conditions held, and the results of the operations that ran.</returns>
    /// <exception cref="EtcdException">etcd refused or failed the transaction (typed subclasses say why).</exception>
    public Task<TxnResponse> CommitAsync(CancellationToken cancellationToken = default) =>
        _commit(Op.Txn(_compares, _then, _else), cancellationToken);
}
