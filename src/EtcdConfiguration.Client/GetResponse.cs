namespace EtcdConfiguration.Client;

/// <summary>The result of <see cref="KVClient.GetAsync(string, GetOptions?, CancellationToken)"/>.</summary>
/// <example>
/// <code>
/// var response = await client.KV.GetAsync("/test/key1");
/// if (response.Kvs.Count == 1) { Console.WriteLine(response.Kvs[0].Value); }
/// </code>
/// </example>
public sealed class GetResponse
{
    internal GetResponse(ResponseHeader header, Wire.RangeResponse response)
    {
        Header = header;
        Kvs = KeyValue.FromList(response.Kvs);
        More = response.More;
        Count = response.Count;
    }

    /// <summary>The response header: its <see cref="ResponseHeader.Revision"/> is the revision the read saw. Inside a transaction, the transaction's header.</summary>
    public ResponseHeader Header { get; }

    /// <summary>The keys found, in the requested order; empty when none matched or only the count was asked for.</summary>
    public IReadOnlyList<KeyValue> Kvs { get; }

    /// <summary>Whether the range holds more keys than were returned (because of <see cref="GetOptions.Limit"/>).</summary>
    public bool More { get; }

    /// <summary>How many keys the range holds in all, regardless of <see cref="GetOptions.Limit"/>.</summary>
    public long Count { get; }

    internal static GetResponse From(Wire.RangeResponse response, ResponseHeader? enclosing = null) =>
        new(enclosing ?? ResponseHeader.From(response.Header), response);
}
