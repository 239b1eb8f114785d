namespace EtcdConfiguration.Client.Namespaces;

/// <summary>
/// The key-value calls of <see cref="KVClient"/> inside a namespace (Go's <c>namespace.NewKV</c>): every key, range,
/// prefix and transaction condition is taken relative to <see cref="EtcdNamespace.Prefix"/>, and the keys that come
/// back are relative to it too. A prefix or from-key read never leaves the namespace.
/// </summary>
/// <example>
/// <code>
/// var tenant = client.WithNamespace("/tenant-a/");
/// await tenant.KV.PutAsync("db", "postgres://...");          // writes /tenant-a/db
/// var all = await tenant.KV.GetAsync("", new GetOptions { FromKey = true }); // every key of the tenant, as "db", ...
/// </code>
/// </example>
public sealed class NamespaceKVClient
{
    private readonly KVClient _kv;
    private readonly KeyPrefix _prefix;

    internal NamespaceKVClient(KVClient kv, KeyPrefix prefix)
    {
        _kv = kv;
        _prefix = prefix;
    }

    /// <summary>Writes a key of the namespace; see <see cref="KVClient.PutAsync(string, string, PutOptions?, CancellationToken)"/>.</summary>
    /// <param name="key">The key, relative to the namespace.</param>
    /// <param name="value">The value, stored as UTF-8.</param>
    /// <param name="options">Lease, previous value...; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The revision of the write and, if asked, the previous key (relative to the namespace).</returns>
    public async Task<PutResponse> PutAsync(string key, string value, PutOptions? options = null, CancellationToken cancellationToken = default) =>
        (await DoAsync(Op.Put(key, value, options), cancellationToken).ConfigureAwait(false)).Put!;

    /// <summary>Writes a key of the namespace given as bytes.</summary>
    /// <param name="key">The key, relative to the namespace.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Lease, previous value...; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The revision of the write and, if asked, the previous key (relative to the namespace).</returns>
    public async Task<PutResponse> PutAsync(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value, PutOptions? options = null, CancellationToken cancellationToken = default) =>
        (await DoAsync(Op.Put(key, value, options), cancellationToken).ConfigureAwait(false)).Put!;

    /// <summary>Reads keys of the namespace; see <see cref="KVClient.GetAsync(string, GetOptions?, CancellationToken)"/>.</summary>
    /// <param name="key">The key, or the first key of the range, relative to the namespace.</param>
    /// <param name="options">Prefix, range, revision, limit, sorting...; <see langword="null"/> for one key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The keys found, relative to the namespace.</returns>
    public async Task<GetResponse> GetAsync(string key, GetOptions? options = null, CancellationToken cancellationToken = default) =>
        (await DoAsync(Op.Get(key, options), cancellationToken).ConfigureAwait(false)).Get!;

    /// <inheritdoc cref="GetAsync(string, GetOptions?, CancellationToken)"/>
    public async Task<GetResponse> GetAsync(ReadOnlyMemory<byte> key, GetOptions? options = null, CancellationToken cancellationToken = default) =>
        (await DoAsync(Op.Get(key, options), cancellationToken).ConfigureAwait(false)).Get!;

    /// <summary>Deletes keys of the namespace; see <see cref="KVClient.DeleteAsync(string, DeleteOptions?, CancellationToken)"/>.</summary>
    /// <param name="key">The key, or the first key of the range, relative to the namespace.</param>
    /// <param name="options">Prefix, range and previous values; <see langword="null"/> for one key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many keys were deleted and, if asked, what they held (keys relative to the namespace).</returns>
    public async Task<DeleteResponse> DeleteAsync(string key, DeleteOptions? options = null, CancellationToken cancellationToken = default) =>
        (await DoAsync(Op.Delete(key, options), cancellationToken).ConfigureAwait(false)).Delete!;

    /// <inheritdoc cref="DeleteAsync(string, DeleteOptions?, CancellationToken)"/>
    public async Task<DeleteResponse> DeleteAsync(ReadOnlyMemory<byte> key, DeleteOptions? options = null, CancellationToken cancellationToken = default) =>
        (await DoAsync(Op.Delete(key, options), cancellationToken).ConfigureAwait(false)).Delete!;

    /// <summary>Runs one <see cref="Op"/> inside the namespace; see <see cref="KVClient.DoAsync"/>.</summary>
    /// <param name="op">The operation, its keys relative to the namespace.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result, keys relative to the namespace.</returns>
    public async Task<OpResponse> DoAsync(Op op, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(op);
        var request = _prefix.Add(op.Request);
        switch (op.Kind)
        {
            case OpKind.Get:
                var range = await _kv.RangeAsync(request.RequestRange, cancellationToken).ConfigureAwait(false);
                _prefix.StripInPlace(range);
                return OpResponse.Of(GetResponse.From(range));
            case OpKind.Put:
                var put = await _kv.PutWireAsync(request.RequestPut, cancellationToken).ConfigureAwait(false);
                _prefix.StripInPlace(put);
                return OpResponse.Of(PutResponse.From(put));
            case OpKind.Delete:
                var delete = await _kv.DeleteRangeAsync(request.RequestDeleteRange, cancellationToken).ConfigureAwait(false);
                _prefix.StripInPlace(delete);
                return OpResponse.Of(DeleteResponse.From(delete));
            default:
                return OpResponse.Of(await CommitAsync(op, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>Starts a transaction inside the namespace: its conditions and operations name keys relative to it.</summary>
    /// <returns>A new builder.</returns>
    public Txn Txn() => new(CommitAsync);

    /// <summary>Compacts the whole store (a revision is not in any namespace); see <see cref="KVClient.CompactAsync"/>.</summary>
    /// <param name="revision">The oldest revision to keep.</param>
    /// <param name="physical">Wait until the compaction is physically applied.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response header.</returns>
    public Task<CompactResponse> CompactAsync(long revision, bool physical = false, CancellationToken cancellationToken = default) =>
        _kv.CompactAsync(revision, physical, cancellationToken);

    private async Task<TxnResponse> CommitAsync(Op txn, CancellationToken cancellationToken)
    {
        var prefixed = new Op(_prefix.Add(txn.Request), OpKind.Txn, txn.IsReadOnly, txn.LeaseId);
        var response = await _kv.TxnAsync(prefixed, cancellationToken).ConfigureAwait(false);
        _prefix.StripInPlace(response);
        return TxnResponse.From(response);
    }
}
