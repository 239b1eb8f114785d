namespace EtcdConfiguration.Client;

/// <summary>The result of <see cref="KVClient.DeleteAsync(string, DeleteOptions?, CancellationToken)"/>.</summary>
public sealed class DeleteResponse
{
    private DeleteResponse(ResponseHeader header, long deleted, IReadOnlyList<KeyValue> prevKvs)
    {
        Header = header;
        Deleted = deleted;
        PrevKvs = prevKvs;
    }

    /// <summary>The response header: its <see cref="ResponseHeader.Revision"/> is the revision of this deletion. Inside a transaction, the transaction's header.</summary>
    public ResponseHeader Header { get; }

    /// <summary>How many keys were deleted.</summary>
    public long Deleted { get; }

    /// <summary>The deleted keys with their last values, when <see cref="DeleteOptions.PrevKv"/> was set; otherwise empty.</summary>
    public IReadOnlyList<KeyValue> PrevKvs { get; }

    internal static DeleteResponse From(Wire.DeleteRangeResponse response, ResponseHeader? enclosing = null) =>
        new(enclosing ?? ResponseHeader.From(response.Header), response.Deleted, KeyValue.FromList(response.PrevKvs));
}
