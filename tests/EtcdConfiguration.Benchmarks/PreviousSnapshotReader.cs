using EtcdConfiguration.Client;
using Grpc.Core;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// The snapshot reader as it was before the first page decided the rest (pages of about 1 MiB and at most 10,000
/// keys, at most doubling), kept here only to compare the provider's load with it in the same run.
/// </summary>
internal sealed class PreviousSnapshotReader(EtcdClient client, ReadOnlyMemory<byte> prefix, ReadOnlyMemory<byte> rangeEnd)
{
    /// <summary>Keys in the first page: small enough for ~100-byte values to stay far below gRPC's 4 MiB.</summary>
    public const int DefaultPageSize = 2000;

    /// <summary>
    /// What later pages aim at, in key and value bytes, judged from the page before: far below gRPC's 4 MiB, yet
    /// few pages. Pages at most double, so a small prefix still comes in a few pages whose decoding overlaps the
    /// reading of the next. etcd 3.4 walks the whole rest of the range for every page (to count it), so the number of
    /// pages, not only their size, sets the cost of a large prefix.
    /// </summary>
    public const int TargetPageBytes = 1024 * 1024;

    /// <summary>The most keys one page asks for, whatever their size.</summary>
    public const int MaxPageSize = 10_000;

    /// <summary>Reads the snapshot, handing each page's key-values to <paramref name="onPage"/>; returns its revision.</summary>
    /// <param name="onPage">Called with each page, in key order.</param>
    /// <param name="cancellationToken">Ends the read.</param>
    /// <param name="atRevision">The revision to read the prefix at; 0 for the current one.</param>
    public async Task<long> ReadAsync(Action<IReadOnlyList<KeyValue>> onPage, CancellationToken cancellationToken, long atRevision = 0)
    {
        // A page that had to shrink sets the most any later page asks for.
        var requested = DefaultPageSize;
        var ceiling = MaxPageSize;
        var (page, limit) = await FetchAsync(prefix, atRevision, requested, cancellationToken);
        var revision = page.Header.Revision;
        while (true)
        {
            if (limit < requested)
            {
                ceiling = Math.Min(ceiling, limit);
            }

            Task<(GetResponse Page, int Limit)>? next = null;
            if (page.More && page.Kvs.Count > 0)
            {
                requested = NextLimit(page.Kvs, Math.Min(ceiling, requested * 2));
                next = FetchAsync(NextKey(page.Kvs[^1].KeyBytes), revision, requested, cancellationToken);
            }

            try
            {
                onPage(page.Kvs);
            }
            catch
            {
                // The caller's failure wins; the request already sent must not fail unobserved.
                next?.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                throw;
            }

            if (next is null)
            {
                return revision;
            }

            (page, limit) = await next;
        }
    }

    /// <summary>Gets one page of at most <paramref name="limit"/> keys, asking for fewer while the response is too large.</summary>
    private async Task<(GetResponse Page, int Limit)> FetchAsync(ReadOnlyMemory<byte> from, long revision, int limit, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var page = await client.KV.GetAsync(from, new GetOptions { RangeEndBytes = rangeEnd, Revision = revision, Limit = limit }, cancellationToken);
                return (page, limit);
            }
            catch (EtcdException ex) when (ex.StatusCode == StatusCode.ResourceExhausted && limit > 1)
            {
                limit = Math.Max(1, limit / 8);
            }
        }
    }

    private static int NextLimit(IReadOnlyList<KeyValue> page, int ceiling)
    {
        long bytes = 0;
        foreach (var kv in page)
        {
            bytes += kv.KeyBytes.Length + kv.ValueBytes.Length;
        }

        var perKey = Math.Max(1, bytes / page.Count);
        return (int)Math.Clamp(TargetPageBytes / perKey, 1, ceiling);
    }

    private static byte[] NextKey(ReadOnlyMemory<byte> key)
    {
        var next = new byte[key.Length + 1];
        key.Span.CopyTo(next);
        return next;
    }
}
