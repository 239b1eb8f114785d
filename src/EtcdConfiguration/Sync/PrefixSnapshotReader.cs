using EtcdConfiguration.Client;
using Grpc.Core;

namespace EtcdConfiguration.Sync;

/// <summary>
/// Reads every key under a prefix as one consistent snapshot: the first page fixes the revision and every
/// later request is read at that revision, so a concurrent writer can never produce a mix. The first page also
/// tells how many keys follow and how large they are: when the rest fits comfortably in one response, it comes in
/// one request; otherwise in pages sized from the bytes per key measured so far. A request whose response would
/// exceed the client's limit is asked again for fewer keys. The next request is sent before the current page is
/// handed over, so etcd reads it while the caller decodes.
/// </summary>
/// <remarks>
/// Few requests matter more than small ones: etcd 3.4 walks the whole rest of the range for every request with a
/// limit (to count it), so a large prefix read in many pages costs etcd far more than one unlimited request.
/// </remarks>
internal sealed class PrefixSnapshotReader(EtcdClient client, ReadOnlyMemory<byte> prefix, ReadOnlyMemory<byte> rangeEnd)
{
    /// <summary>Keys in the first page: enough to judge the value sizes, and far below any message limit for ordinary values.</summary>
    public const int DefaultPageSize = 2000;

    /// <summary>
    /// The rest comes in one request when its estimate, with this margin for later keys being larger than the ones
    /// measured, is at most half the client's response limit.
    /// </summary>
    private const double EstimateMargin = 1.5;

    /// <summary>Pages, when the rest is too large for one request, aim at this fraction of the response limit.</summary>
    internal const int PageFractionOfLimit = 8;

    /// <summary>What a key-value costs on the wire beyond its key and value bytes: revisions, version, tags and lengths.</summary>
    private const int WireBytesPerKey = 24;

    /// <summary>How many keys the range held at the snapshot's revision, known once the first page has come; for pre-sizing.</summary>
    public long TotalKeys { get; private set; }

    /// <summary>How many requests the last read sent, shrunken retries included; for tests and diagnostics.</summary>
    public int Requests { get; private set; }

    /// <summary>
    /// When set, the bytes a request after the first aims at, instead of the rest at once (when it fits) or an eighth
    /// of the client's limit: for the benchmark harness to compare the policies in one run.
    /// </summary>
    internal int? RequestBytes { get; init; }

    /// <summary>Reads the snapshot, handing each page's key-values to <paramref name="onPage"/>; returns its revision.</summary>
    /// <param name="onPage">Called with each page, in key order.</param>
    /// <param name="cancellationToken">Ends the read.</param>
    /// <param name="atRevision">The revision to read the prefix at; 0 for the current one.</param>
    public async Task<long> ReadAsync(Action<IReadOnlyList<KeyValue>> onPage, CancellationToken cancellationToken, long atRevision = 0)
    {
        Requests = 0;
        var (page, first) = await FetchAsync(prefix, atRevision, DefaultPageSize, remaining: DefaultPageSize, cancellationToken);
        var revision = page.Header.Revision;
        TotalKeys = page.Count;

        // A request that had to shrink sets the most the next one asks for; each page that did not shrink doubles it
        // again, so a run of large values costs a few small pages rather than every page after it.
        var ceiling = first < DefaultPageSize ? first : int.MaxValue;
        while (true)
        {
            Task<(GetResponse Page, int Limit)>? next = null;
            var limit = 0;
            if (page.More && page.Kvs.Count > 0)
            {
                // Every request reads at the snapshot's revision, so the count after this page is exact.
                var remaining = page.Count - page.Kvs.Count;
                limit = NextLimit(page.Kvs, remaining, client.MaxReceiveMessageSize, ceiling, RequestBytes);
                next = FetchAsync(NextKey(page.Kvs[^1].KeyBytes), revision, limit, remaining, cancellationToken);
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

            (page, var used) = await next;
            ceiling = used != limit ? used : (int)Math.Min(2L * ceiling, int.MaxValue);
        }
    }

    /// <summary>
    /// How many keys to ask for after <paramref name="page"/>, with <paramref name="remaining"/> keys left, judged by
    /// that page's bytes per key.
    /// </summary>
    private static int NextLimit(IReadOnlyList<KeyValue> page, long remaining, int maxResponseBytes, int ceiling, int? requestBytes)
    {
        long bytes = 0;
        foreach (var kv in page)
        {
            bytes += kv.KeyBytes.Length + kv.ValueBytes.Length + WireBytesPerKey;
        }

        return NextLimit((double)bytes / page.Count, remaining, maxResponseBytes, ceiling, requestBytes);
    }

    /// <summary>
    /// How many keys to ask for at <paramref name="bytesPerKey"/> on the wire, with <paramref name="remaining"/> keys
    /// left: 0 (all of them) when they fit comfortably in one response of at most <paramref name="maxResponseBytes"/>
    /// and <paramref name="ceiling"/> allows them all, else a page of a fraction of that limit.
    /// </summary>
    internal static int NextLimit(double bytesPerKey, long remaining, int maxResponseBytes, int ceiling, int? requestBytes = null)
    {
        var perKey = Math.Max(1.0, bytesPerKey);
        var pageBytes = Math.Min(requestBytes ?? int.MaxValue, maxResponseBytes / PageFractionOfLimit);
        if (remaining <= ceiling && remaining * perKey * EstimateMargin <= (requestBytes ?? maxResponseBytes / 2.0))
        {
            return 0;
        }

        var keys = (long)(pageBytes / perKey);
        return (int)Math.Clamp(keys, 1, Math.Min(ceiling, Math.Min(remaining, int.MaxValue)));
    }

    /// <summary>
    /// Gets one request's keys (<paramref name="limit"/> 0: all <paramref name="remaining"/> of them), asking for
    /// fewer while the response is too large; returns the limit that worked.
    /// </summary>
    private async Task<(GetResponse Page, int Limit)> FetchAsync(ReadOnlyMemory<byte> from, long revision, int limit, long remaining, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                Requests++;
                var page = await client.KV.GetAsync(from, new GetOptions { RangeEndBytes = rangeEnd, Revision = revision, Limit = limit }, cancellationToken);
                return (page, limit);
            }
            catch (EtcdException ex) when (ex.StatusCode == StatusCode.ResourceExhausted && limit != 1)
            {
                var asked = limit == 0 ? Math.Min(remaining, int.MaxValue) : limit;
                limit = (int)Math.Max(1, asked / 8);
            }
        }
    }

    private static byte[] NextKey(ReadOnlyMemory<byte> key)
    {
        var next = new byte[key.Length + 1];
        key.Span.CopyTo(next);
        return next;
    }
}
