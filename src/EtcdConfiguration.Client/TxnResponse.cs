using System.Collections.ObjectModel;

namespace EtcdConfiguration.Client;

/// <summary>The result of a transaction (<see cref="Txn.CommitAsync"/>, or <see cref="Op.Txn"/> run by <see cref="KVClient.DoAsync"/>).</summary>
public sealed class TxnResponse
{
    private TxnResponse(ResponseHeader header, bool succeeded, IReadOnlyList<OpResponse> responses)
    {
        Header = header;
        Succeeded = succeeded;
        Responses = responses;
    }

    /// <summary>The response header: its <see cref="ResponseHeader.Revision"/> is the revision after the transaction.</summary>
    public ResponseHeader Header { get; }

    /// <summary>
    /// Whether every comparison held: <see langword="true"/> when the Then operations ran, <see langword="false"/>
    /// when the Else operations did.
    /// </summary>
    public bool Succeeded { get; }

    /// <summary>The results of the operations that ran, in their order.</summary>
    public IReadOnlyList<OpResponse> Responses { get; }

    internal static TxnResponse From(Wire.TxnResponse response, ResponseHeader? enclosing = null)
    {
        var header = enclosing ?? ResponseHeader.From(response.Header);
        var responses = new OpResponse[response.Responses.Count];
        for (var i = 0; i < responses.Length; i++)
        {
            responses[i] = OpResponse.From(response.Responses[i], header);
        }

        return new TxnResponse(header, response.Succeeded, new ReadOnlyCollection<OpResponse>(responses));
    }
}
