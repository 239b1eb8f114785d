namespace EtcdConfiguration.Client;

/// <summary>The result of <see cref="KVClient.PutAsync(string, string, PutOptions?, CancellationToken)"/>.</summary>
public sealed class PutResponse
{
    private PutResponse(ResponseHeader header, KeyValue? prevKv)
    {
        Header = header;
        PrevKv = prevKv;
    }

    /// <summary>The response header: its <see cref="ResponseHeader.Revision"/> is the revision of this write. Inside a transaction, the transaction's header.</summary>
    public ResponseHeader Header { get; }

    /// <summary>
    /// The key as it was before the put, when <see cref="PutOptions.PrevKv"/> was set and the key existed;
    /// otherwise <see langword="null"/>.
    /// </summary>
    public KeyValue? PrevKv { get; }

    internal static PutResponse From(Wire.PutResponse response, ResponseHeader? enclosing = null) =>
        new(enclosing ?? ResponseHeader.From(response.Header), KeyValue.FromOptional(response.PrevKv));
}
