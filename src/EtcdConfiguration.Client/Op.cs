using System.Collections.ObjectModel;
using EtcdConfiguration.Client.Internal;
using Google.Protobuf;

namespace EtcdConfiguration.Client;

/// <summary>
/// One key-value operation described as a value: a get, put, delete or nested transaction, built now and run
/// later by <see cref="KVClient.DoAsync"/> or inside a transaction. The counterpart of Go's <c>clientv3.Op</c>
/// (<c>OpGet</c>, <c>OpPut</c>, <c>OpDelete</c>, <c>OpTxn</c>). Immutable: the options are read when the
/// operation is created.
/// </summary>
/// <example>
/// <code>
/// Op[] ops = [Op.Put("put-key", "123"), Op.Get("put-key"), Op.Put("put-key", "456")];
/// foreach (var op in ops)
/// {
///     await client.KV.DoAsync(op);
/// }
/// </code>
/// </example>
public sealed class Op
{
    private readonly Wire.RequestOp _request;

    /// <summary>The request as sent, for views that rewrite it (namespaces).</summary>
    internal Wire.RequestOp Request => _request;

    internal Op(Wire.RequestOp request, OpKind kind, bool isReadOnly, long leaseId,
        IReadOnlyList<Compare>? compares = null, IReadOnlyList<Op>? thenOps = null, IReadOnlyList<Op>? elseOps = null)
    {
        _request = request;
        Kind = kind;
        IsReadOnly = isReadOnly;
        LeaseId = leaseId;
        Compares = compares ?? ReadOnlyCollection<Compare>.Empty;
        ThenOps = thenOps ?? ReadOnlyCollection<Op>.Empty;
        ElseOps = elseOps ?? ReadOnlyCollection<Op>.Empty;
    }

    /// <summary>What the operation does.</summary>
    public OpKind Kind { get; }

    /// <summary>The key (the first key of a range), decoded as UTF-8; empty for a transaction.</summary>
    public string Key => Utf8Text.Decode(KeyString);

    /// <summary>The key's bytes (the first key of a range); empty for a transaction.</summary>
    public ReadOnlyMemory<byte> KeyBytes => KeyString.Memory;

    /// <summary>The end of the range a get or delete covers (exclusive); empty for a single key.</summary>
    public ReadOnlyMemory<byte> RangeEndBytes => Kind switch
    {
        OpKind.Get => _request.RequestRange.RangeEnd.Memory,
        OpKind.Delete => _request.RequestDeleteRange.RangeEnd.Memory,
        _ => ReadOnlyMemory<byte>.Empty,
    };

    /// <summary>The value a put writes; empty for other operations.</summary>
    public ReadOnlyMemory<byte> ValueBytes => Kind == OpKind.Put ? _request.RequestPut.Value.Memory : ReadOnlyMemory<byte>.Empty;

    /// <summary>A transaction's conditions; empty for other operations.</summary>
    public IReadOnlyList<Compare> Compares { get; }

    /// <summary>The operations a transaction runs when every condition holds; empty for other operations.</summary>
    public IReadOnlyList<Op> ThenOps { get; }

    /// <summary>The operations a transaction runs when a condition fails; empty for other operations.</summary>
    public IReadOnlyList<Op> ElseOps { get; }

    /// <summary>Whether the operation only reads (a get, or a transaction of gets), so it is safe to retry.</summary>
    internal bool IsReadOnly { get; }

    /// <summary>The lease a put names (the first one, in a transaction), for error messages; 0 for none.</summary>
    internal long LeaseId { get; }

    internal Wire.RangeRequest RangeRequest => _request.RequestRange;

    internal Wire.PutRequest PutRequest => _request.RequestPut;

    internal Wire.DeleteRangeRequest DeleteRangeRequest => _request.RequestDeleteRange;

    internal Wire.TxnRequest TxnRequest => _request.RequestTxn;

    private ByteString KeyString => Kind switch
    {
        OpKind.Get => _request.RequestRange.Key,
        OpKind.Put => _request.RequestPut.Key,
        OpKind.Delete => _request.RequestDeleteRange.Key,
        _ => ByteString.Empty,
    };

    /// <summary>A read of one key, or of a prefix or range as <paramref name="options"/> say (Go's <c>OpGet</c>).</summary>
    /// <param name="key">The key, or the first key of the range.</param>
    /// <param name="options">Range, revision, limit, sorting...; <see langword="null"/> for the latest value of one key.</param>
    /// <returns>The operation.</returns>
    /// <exception cref="ArgumentException">The options contradict each other.</exception>
    public static Op Get(string key, GetOptions? options = null) => Get(KVRequests.Key(key, nameof(key)), options);

    /// <inheritdoc cref="Get(string, GetOptions?)"/>
    public static Op Get(ReadOnlyMemory<byte> key, GetOptions? options = null) => Get(KVRequests.Key(key), options);

    /// <summary>A write of one key (Go's <c>OpPut</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value, stored as UTF-8.</param>
    /// <param name="options">Lease, previous value...; <see langword="null"/> for none.</param>
    /// <returns>The operation.</returns>
    /// <exception cref="ArgumentException">The options contradict each other or the value.</exception>
    public static Op Put(string key, string value, PutOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Put(KVRequests.Key(key, nameof(key)), ByteString.CopyFromUtf8(value), options);
    }

    /// <summary>A write of one key, given as bytes (Go's <c>OpPut</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Lease, previous value...; <see langword="null"/> for none.</param>
    /// <returns>The operation.</returns>
    /// <exception cref="ArgumentException">The options contradict each other or the value.</exception>
    public static Op Put(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value, PutOptions? options = null) =>
        Put(KVRequests.Key(key), ByteString.CopyFrom(value.Span), options);

    /// <summary>A deletion of one key, or of a prefix or range as <paramref name="options"/> say (Go's <c>OpDelete</c>).</summary>
    /// <param name="key">The key, or the first key of the range.</param>
    /// <param name="options">Range and previous values; <see langword="null"/> to delete one key.</param>
    /// <returns>The operation.</returns>
    /// <exception cref="ArgumentException">The options contradict each other.</exception>
    public static Op Delete(string key, DeleteOptions? options = null) => Delete(KVRequests.Key(key, nameof(key)), options);

    /// <inheritdoc cref="Delete(string, DeleteOptions?)"/>
    public static Op Delete(ReadOnlyMemory<byte> key, DeleteOptions? options = null) => Delete(KVRequests.Key(key), options);

    /// <summary>
    /// A transaction, to run by itself or nested in another (Go's <c>OpTxn</c>): when every condition in
    /// <paramref name="compares"/> holds, <paramref name="thenOps"/> run, otherwise <paramref name="elseOps"/>, all
    /// atomically. <see cref="KVClient.Txn"/> offers the same as a fluent builder.
    /// </summary>
    /// <param name="compares">The conditions; none means "always true".</param>
    /// <param name="thenOps">What to run when every condition holds.</param>
    /// <param name="elseOps">What to run otherwise.</param>
    /// <returns>The operation.</returns>
    /// <example>
    /// <code>
    /// var op = Op.Txn([Compare.Version("/lock", CompareResult.Equal, 0)], [Op.Put("/lock", "me")], [Op.Get("/lock")]);
    /// var response = await client.KV.DoAsync(op);
    /// </code>
    /// </example>
    public static Op Txn(IEnumerable<Compare> compares, IEnumerable<Op> thenOps, IEnumerable<Op> elseOps)
    {
        ArgumentNullException.ThrowIfNull(compares);
        ArgumentNullException.ThrowIfNull(thenOps);
        ArgumentNullException.ThrowIfNull(elseOps);
        var conditions = compares.ToArray();
        var then = thenOps.ToArray();
        var @else = elseOps.ToArray();
        if (conditions.Contains(null) || then.Contains(null) || @else.Contains(null))
        {
            throw new ArgumentException("A transaction's conditions and operations must not be null.", nameof(compares));
        }

        var request = new Wire.TxnRequest();
        request.Compare.AddRange(conditions.Select(c => c.ToWire()));
        request.Success.AddRange(then.Select(op => op._request));
        request.Failure.AddRange(@else.Select(op => op._request));
        var isReadOnly = then.All(op => op.IsReadOnly) && @else.All(op => op.IsReadOnly);
        var leaseId = then.Concat(@else).Select(op => op.LeaseId).FirstOrDefault(id => id != 0);
        return new Op(
            new Wire.RequestOp { RequestTxn = request },
            OpKind.Txn,
            isReadOnly,
            leaseId,
            new ReadOnlyCollection<Compare>(conditions),
            new ReadOnlyCollection<Op>(then),
            new ReadOnlyCollection<Op>(@else));
    }

    /// <summary>The kind and key of the operation, such as <c>Put /app/db</c>; never the value.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => Kind == OpKind.Txn
        ? $"Txn ({Compares.Count} compares, {ThenOps.Count} then, {ElseOps.Count} else)"
        : $"{Kind} {Key}{(RangeEndBytes.IsEmpty ? string.Empty : " (range)")}";

    internal static Op Get(ByteString key, GetOptions? options) =>
        new(new Wire.RequestOp { RequestRange = KVRequests.Range(key, options) }, OpKind.Get, isReadOnly: true, leaseId: 0);

    internal static Op Put(ByteString key, ByteString value, PutOptions? options)
    {
        var request = KVRequests.Put(key, value, options);
        return new(new Wire.RequestOp { RequestPut = request }, OpKind.Put, isReadOnly: false, request.Lease);
    }

    internal static Op Delete(ByteString key, DeleteOptions? options) =>
        new(new Wire.RequestOp { RequestDeleteRange = KVRequests.Delete(key, options) }, OpKind.Delete, isReadOnly: false, leaseId: 0);
}
