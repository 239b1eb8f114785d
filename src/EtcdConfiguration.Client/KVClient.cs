using EtcdConfiguration.Client.Internal;
using Google.Protobuf;

namespace EtcdConfiguration.Client;

/// <summary>
/// Key-value calls: Put, Get, Delete, Compact, Do and Txn, as Go's <c>clientv3.KV</c> offers them. Options are
/// small objects (<see cref="GetOptions"/>, <see cref="PutOptions"/>, <see cref="DeleteOptions"/>) instead of Go's
/// option functions. String keys and values travel as UTF-8; the byte overloads take any bytes.
/// </summary>
/// <remarks>
/// Reads (gets, and transactions that only read) are retried on transient failures, failing over to another
/// endpoint; writes are retried only when they certainly never reached a server, since a write may have been
/// applied before a connection broke.
/// </remarks>
/// <example>
/// <code>
/// await client.KV.PutAsync("/test/key1", "Hello etcd!");
/// var children = await client.KV.GetAsync("/test/", new GetOptions { Prefix = true });
/// foreach (var kv in children.Kvs) { Console.WriteLine($"{kv.Key} = {kv.Value}"); }
/// </code>
/// </example>
public sealed class KVClient
{
    private readonly EtcdConnection _connection;

    internal KVClient(EtcdConnection connection) => _connection = connection;

    /// <summary>Writes a key (Go's <c>KV.Put</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value, stored as UTF-8.</param>
    /// <param name="options">Lease, previous value, ignore value or lease; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The revision of the write and, if asked, the previous key.</returns>
    /// <exception cref="ArgumentException">The options contradict each other or the value.</exception>
    /// <exception cref="EtcdLeaseNotFoundException">The lease in <paramref name="options"/> does not exist (any more).</exception>
    /// <exception cref="EtcdException">The call failed (typed subclasses say why).</exception>
    public Task<PutResponse> PutAsync(string key, string value, PutOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        return PutAsync(KVRequests.Put(KVRequests.Key(key, nameof(key)), ByteString.CopyFromUtf8(value), options), cancellationToken);
    }

    /// <summary>Writes a key given as bytes (Go's <c>KV.Put</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Lease, previous value, ignore value or lease; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The revision of the write and, if asked, the previous key.</returns>
    /// <exception cref="ArgumentException">The options contradict each other or the value.</exception>
    /// <exception cref="EtcdLeaseNotFoundException">The lease in <paramref name="options"/> does not exist (any more).</exception>
    /// <exception cref="EtcdException">The call failed (typed subclasses say why).</exception>
    public Task<PutResponse> PutAsync(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value, PutOptions? options = null, CancellationToken cancellationToken = default) =>
        PutAsync(KVRequests.Put(KVRequests.Key(key), ByteString.CopyFrom(value.Span), options), cancellationToken);

    /// <summary>Reads a key, or a prefix or range as <paramref name="options"/> say (Go's <c>KV.Get</c>).</summary>
    /// <param name="key">The key, or the first key of the range.</param>
    /// <param name="options">Prefix, range, revision, limit, sorting...; <see langword="null"/> for the latest value of one key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The keys found; an empty <see cref="GetResponse.Kvs"/> when none exists.</returns>
    /// <exception cref="ArgumentException">The options contradict each other.</exception>
    /// <exception cref="EtcdCompactedException"><see cref="GetOptions.Revision"/> has been compacted.</exception>
    /// <exception cref="EtcdFutureRevisionException"><see cref="GetOptions.Revision"/> is ahead of the store.</exception>
    /// <exception cref="EtcdException">The call failed (typed subclasses say why).</exception>
    /// <example>
    /// <code>
    /// var response = await client.KV.GetAsync("/test/", new GetOptions { Prefix = true, SortOrder = SortOrder.Descend });
    /// </code>
    /// </example>
    public Task<GetResponse> GetAsync(string key, GetOptions? options = null, CancellationToken cancellationToken = default) =>
        GetAsync(KVRequests.Range(KVRequests.Key(key, nameof(key)), options), cancellationToken);

    /// <inheritdoc cref="GetAsync(string, GetOptions?, CancellationToken)"/>
    public Task<GetResponse> GetAsync(ReadOnlyMemory<byte> key, GetOptions? options = null, CancellationToken cancellationToken = default) =>
        GetAsync(KVRequests.Range(KVRequests.Key(key), options), cancellationToken);

    /// <summary>Deletes a key, or a prefix or range as <paramref name="options"/> say (Go's <c>KV.Delete</c>).</summary>
    /// <param name="key">The key, or the first key of the range.</param>
    /// <param name="options">Prefix, range and previous values; <see langword="null"/> to delete one key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many keys were deleted and, if asked, what they held.</returns>
    /// <exception cref="ArgumentException">The options contradict each other.</exception>
    /// <exception cref="EtcdException">The call failed (typed subclasses say why).</exception>
    public Task<DeleteResponse> DeleteAsync(string key, DeleteOptions? options = null, CancellationToken cancellationToken = default) =>
        DeleteAsync(KVRequests.Delete(KVRequests.Key(key, nameof(key)), options), cancellationToken);

    /// <inheritdoc cref="DeleteAsync(string, DeleteOptions?, CancellationToken)"/>
    public Task<DeleteResponse> DeleteAsync(ReadOnlyMemory<byte> key, DeleteOptions? options = null, CancellationToken cancellationToken = default) =>
        DeleteAsync(KVRequests.Delete(KVRequests.Key(key), options), cancellationToken);

    /// <summary>
    /// Discards the history before <paramref name="revision"/> (Go's <c>KV.Compact</c>): reads and watches at
    /// older revisions fail with <see cref="EtcdCompactedException"/> afterwards.
    /// </summary>
    /// <param name="revision">The oldest revision to keep; at most the current revision.</param>
    /// <param name="physical">Wait until the compaction is physically applied to the storage.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response header.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="revision"/> is not positive.</exception>
    /// <exception cref="EtcdCompactedException">The store is already compacted at or after <paramref name="revision"/>.</exception>
    /// <exception cref="EtcdFutureRevisionException"><paramref name="revision"/> is ahead of the store.</exception>
    public async Task<CompactResponse> CompactAsync(long revision, bool physical = false, CancellationToken cancellationToken = default)
    {
        var request = KVRequests.Compaction(revision, physical);
        var response = await _connection.UnaryAsync(
            "KV.Compact",
            (channel, options) => channel.KV.CompactAsync(request, options),
            idempotent: false,
            cancellationToken);
        return new CompactResponse(ResponseHeader.From(response.Header));
    }

    /// <summary>Runs one <see cref="Op"/> by itself, outside a transaction (Go's <c>KV.Do</c>).</summary>
    /// <param name="op">The operation.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result, in the payload that matches <see cref="Op.Kind"/>.</returns>
    /// <exception cref="EtcdException">The call failed (typed subclasses say why).</exception>
    public async Task<OpResponse> DoAsync(Op op, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(op);
        return op.Kind switch
        {
            OpKind.Get => OpResponse.Of(await GetAsync(op.RangeRequest, cancellationToken)),
            OpKind.Put => OpResponse.Of(await PutAsync(op.PutRequest, cancellationToken)),
            OpKind.Delete => OpResponse.Of(await DeleteAsync(op.DeleteRangeRequest, cancellationToken)),
            _ => OpResponse.Of(await CommitAsync(op, cancellationToken)),
        };
    }

    /// <summary>Starts a transaction: <c>Txn().If(...).Then(...).Else(...).CommitAsync()</c> (Go's <c>KV.Txn</c>).</summary>
    /// <returns>A new builder.</returns>
    /// <example>
    /// <code>
    /// var response = await client.KV.Txn()
    ///     .If(Compare.Value("k1", CompareResult.Greater, "v1"), Compare.Version("k1", CompareResult.Equal, 2))
    ///     .Then(Op.Put("k2", "v2"), Op.Put("k3", "v3"))
    ///     .Else(Op.Put("k4", "v4"), Op.Put("k5", "v5"))
    ///     .CommitAsync();
    /// </code>
    /// </example>
    public Txn Txn() => new(CommitAsync);

    internal async Task<TxnResponse> CommitAsync(Op txn, CancellationToken cancellationToken) =>
        TxnResponse.From(await TxnAsync(txn, cancellationToken));

    /// <summary>Runs a transaction and returns etcd's own response (the namespace view rewrites its keys).</summary>
    internal Task<Wire.TxnResponse> TxnAsync(Op txn, CancellationToken cancellationToken)
    {
        var request = txn.TxnRequest;
        return _connection.UnaryAsync(
            "KV.Txn",
            (channel, options) => channel.KV.TxnAsync(request, options),
            idempotent: txn.IsReadOnly,
            cancellationToken,
            txn.LeaseId);
    }

    /// <summary>Reads a range and returns etcd's own response (the namespace view rewrites its keys).</summary>
    internal Task<Wire.RangeResponse> RangeAsync(Wire.RangeRequest request, CancellationToken cancellationToken) =>
        _connection.UnaryAsync(
            "KV.Range",
            (channel, options) => channel.KV.RangeAsync(request, options),
            idempotent: true,
            cancellationToken);

    /// <summary>Writes a key and returns etcd's own response (the namespace view rewrites its keys).</summary>
    internal Task<Wire.PutResponse> PutWireAsync(Wire.PutRequest request, CancellationToken cancellationToken) =>
        _connection.UnaryAsync(
            "KV.Put",
            (channel, options) => channel.KV.PutAsync(request, options),
            idempotent: false,
            cancellationToken,
            request.Lease);

    /// <summary>Deletes a range and returns etcd's own response (the namespace view rewrites its keys).</summary>
    internal Task<Wire.DeleteRangeResponse> DeleteRangeAsync(Wire.DeleteRangeRequest request, CancellationToken cancellationToken) =>
        _connection.UnaryAsync(
            "KV.DeleteRange",
            (channel, options) => channel.KV.DeleteRangeAsync(request, options),
            idempotent: false,
            cancellationToken);

    private async Task<GetResponse> GetAsync(Wire.RangeRequest request, CancellationToken cancellationToken) =>
        GetResponse.From(await RangeAsync(request, cancellationToken));

    private async Task<PutResponse> PutAsync(Wire.PutRequest request, CancellationToken cancellationToken) =>
        PutResponse.From(await PutWireAsync(request, cancellationToken));

    private async Task<DeleteResponse> DeleteAsync(Wire.DeleteRangeRequest request, CancellationToken cancellationToken) =>
        DeleteResponse.From(await DeleteRangeAsync(request, cancellationToken));
}
