namespace EtcdConfiguration.Client;

/// <summary>
/// The result of one <see cref="Op"/>, from <see cref="KVClient.DoAsync"/> or inside a <see cref="TxnResponse"/>:
/// the payload that matches <see cref="Kind"/> is set, the others are <see langword="null"/>.
/// </summary>
/// <example>
/// <code>
/// var response = await client.KV.DoAsync(Op.Get("put-key"));
/// Console.WriteLine(response.Get!.Kvs[0].Value);
/// </code>
/// </example>
public sealed class OpResponse
{
    private OpResponse(OpKind kind, ResponseHeader header, GetResponse? get, PutResponse? put, DeleteResponse? delete, TxnResponse? txn)
    {
        Kind = kind;
        Header = header;
        Get = get;
        Put = put;
        Delete = delete;
        Txn = txn;
    }

    /// <summary>What the operation was, and so which payload is set.</summary>
    public OpKind Kind { get; }

    /// <summary>The header of the payload.</summary>
    public ResponseHeader Header { get; }

    /// <summary>The result of a <see cref="OpKind.Get"/>; otherwise <see langword="null"/>.</summary>
    public GetResponse? Get { get; }

    /// <summary>The result of a <see cref="OpKind.Put"/>; otherwise <see langword="null"/>.</summary>
    public PutResponse? Put { get; }

    /// <summary>The result of a <see cref="OpKind.Delete"/>; otherwise <see langword="null"/>.</summary>
    public DeleteResponse? Delete { get; }

    /// <summary>The result of a <see cref="OpKind.Txn"/>; otherwise <see langword="null"/>.</summary>
    public TxnResponse? Txn { get; }

    internal static OpResponse Of(GetResponse get) => new(OpKind.Get, get.Header, get, null, null, null);

    internal static OpResponse Of(PutResponse put) => new(OpKind.Put, put.Header, null, put, null, null);

    internal static OpResponse Of(DeleteResponse delete) => new(OpKind.Delete, delete.Header, null, null, delete, null);

    internal static OpResponse Of(TxnResponse txn) => new(OpKind.Txn, txn.Header, null, null, null, txn);

    /// <summary>Wraps one response of a transaction branch, giving it the transaction's header.</summary>
    internal static OpResponse From(Wire.ResponseOp response, ResponseHeader enclosing) => response.ResponseCase switch
    {
        Wire.ResponseOp.ResponseOneofCase.ResponseRange => Of(GetResponse.From(response.ResponseRange, enclosing)),
        Wire.ResponseOp.ResponseOneofCase.ResponsePut => Of(PutResponse.From(response.ResponsePut, enclosing)),
        Wire.ResponseOp.ResponseOneofCase.ResponseDeleteRange => Of(DeleteResponse.From(response.ResponseDeleteRange, enclosing)),
        Wire.ResponseOp.ResponseOneofCase.ResponseTxn => Of(TxnResponse.From(response.ResponseTxn, enclosing)),
        _ => throw new EtcdException($"etcd returned a transaction response of unknown kind {response.ResponseCase}."),
    };
}
