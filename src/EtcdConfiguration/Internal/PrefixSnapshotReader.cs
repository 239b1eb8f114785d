using EtcdConfiguration.Client;
using Grpc.Core;

namespace EtcdConfiguration.Internal;

/// <summary>
/// Reads every key under a prefix as one consistent snapshot: the first page fixes the revision and every
/// later page is read at that revision, so a concurrent writer can never produce a mix. Pages are bounded
/// by count and shrink when a page would exceed the message size limit.
/// </summary>
internal sealed class PrefixSnapshotReader(EtcdClient client, ReadOnlyMemory<byte> prefix, ReadOnlyMemory<byte> rangeEnd)
{
    /// <summary>Keys per page at first: small enough for ~100-byte values to stay far below gRPC's 4 MiB.</summary>
    public const int DefaultPageSize = 2000;

    /// <summary>Reads the snapshot, handing each page's key-values to <paramref name="onPage"/>; returns its revision.</summary>
    public async Task<long> ReadAsync(Action<IReadOnlyList<KeyValue>> onPage, CancellationToken cancellationToken)
    {
        var pageSize = DefaultPageSize;
        var from = prefix;
        long revision = 0;
        while (true)
        {
            GetResponse page;
            try
            {
                page = await client.KV.GetAsync(from, new GetOptions { RangeEndBytes = rangeEnd, Revision = revision, Limit = pageSize }, cancellationToken);
            }
            catch (EtcdException ex) when (ex.StatusCode == StatusCode.ResourceExhausted && pageSize > 1)
            {
                pageSize = Math.Max(1, pageSize / 8);
                continue;
            }

            if (revision == 0)
            {
                revision = page.Header.Revision;
            }

            onPage(page.Kvs);
            if (!page.More || page.Kvs.Count == 0)
            {
                return revision;
            }

            from = NextKey(page.Kvs[^1].KeyBytes);
        }
    }

    private static byte[] NextKey(ReadOnlyMemory<byte> key)
    {
        var next = new byte[key.Length + 1];
        key.Span.CopyTo(next);
        return next;
    }
}
