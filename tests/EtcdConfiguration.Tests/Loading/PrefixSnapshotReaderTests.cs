using System.Globalization;
using System.Text;
using EtcdConfiguration.Client;
using EtcdConfiguration.Mapping;
using EtcdConfiguration.Sync;
using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Tests;

/// <summary>The pipelined snapshot read against a real etcd: every key once, in order, at one revision, in as few requests as fit.</summary>
public sealed class PrefixSnapshotReaderTests
{
    private const int FourMiB = 4 * 1024 * 1024;

    [Fact]
    public async Task Reads_every_key_once_in_order_across_pages_of_any_size_at_one_revision()
    {
        await using var cluster = await EtcdCluster.StartAsync();
        // gRPC's old default limit: the run of 300 KB values cannot come in one response, so requests shrink, then grow again.
        using var client = NewClient(cluster, FourMiB);
        using var checker = NewClient(cluster, maxReceiveBytes: null);
        const int Count = 14_000;
        var big = new string('v', 300 * 1024);
        await PutAllAsync(checker, Count, i => i is >= 2000 and < 2030 ? big : i.ToString(CultureInfo.InvariantCulture));

        var (read, pages, reader) = await ReadWhileWritingAsync(client, checker, Count);

        Assert.True(pages > 2, $"Only {pages} pages: the test must cross page boundaries.");
        Assert.True(reader.Requests > pages, $"{reader.Requests} requests for {pages} pages: a response too large must have been asked again for fewer keys.");
        Assert.Equal(Count, reader.TotalKeys);
        Assert.Equal(Count, read.Count);
    }

    [Fact]
    public async Task Reads_the_rest_in_one_request_when_the_first_page_shows_it_fits_well_under_the_limit()
    {
        await using var cluster = await EtcdCluster.StartAsync();
        using var client = NewClient(cluster, maxReceiveBytes: null);
        const int Count = 12_000;
        await PutAllAsync(client, Count, i => string.Create(CultureInfo.InvariantCulture, $"{{\"Name\":\"item-{i}\",\"Enabled\":true}}"));

        var (read, pages, reader) = await ReadWhileWritingAsync(client, client, Count);

        Assert.Equal(2, pages);
        Assert.Equal(2, reader.Requests);
        Assert.Equal(Count, read.Count);
    }

    [Fact]
    public async Task Pages_values_too_large_for_one_response_at_one_revision()
    {
        await using var cluster = await EtcdCluster.StartAsync();
        using var client = NewClient(cluster, FourMiB);
        using var checker = NewClient(cluster, maxReceiveBytes: null);
        // About 12 MB in all, three times the client's limit, so the rest must come in pages; the first page fits.
        const int Count = 8_000;
        var value = new string('x', 1500);
        await PutAllAsync(checker, Count, i => i.ToString(CultureInfo.InvariantCulture) + value);

        var (_, pages, reader) = await ReadWhileWritingAsync(client, checker, Count);

        Assert.True(pages >= 3 * PrefixSnapshotReader.PageFractionOfLimit / 2, $"{pages} pages for about 12 MB: pages must be a fraction of the 4 MiB limit.");
        Assert.Equal(pages, reader.Requests);
    }

    [Theory]
    [InlineData(98_000, 150, 64 * 1024 * 1024, 0)]
    [InlineData(98_000, 150, FourMiB, 2818)]
    [InlineData(1_000, 5_000, FourMiB, 104)]
    public void Asks_for_the_rest_at_once_only_when_it_fits_comfortably(long remaining, int valueBytes, int maxResponseBytes, int expected)
    {
        var page = Enumerable.Range(0, 100).Select(i => (Key: Encoding.UTF8.GetBytes(Key(i)), Value: new byte[valueBytes])).ToList();
        var perKey = page.Sum(kv => kv.Key.Length + kv.Value.Length + 24) / (double)page.Count;
        var limit = PrefixSnapshotReader.NextLimit(perKey, remaining, maxResponseBytes, ceiling: int.MaxValue);

        Assert.Equal(expected, limit);
        Assert.Equal(1, PrefixSnapshotReader.NextLimit(perKey, remaining, maxResponseBytes, ceiling: 1));
    }

    private static EtcdClient NewClient(EtcdCluster cluster, int? maxReceiveBytes)
    {
        var options = new EtcdClientOptions
        {
            Endpoints = EtcdClient.SplitEndpoints(cluster.Endpoints),
            DialTimeout = TestTimeouts.EtcdAnswers,
        };
        if (maxReceiveBytes is { } bytes)
        {
            options.MaxReceiveMessageSize = bytes;
        }

        return new EtcdClient(options);
    }

    private static async Task PutAllAsync(EtcdClient client, int count, Func<int, string> value)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await client.KV.PutAsync(Key(i), value(i), cancellationToken: ct));
        await client.KV.PutAsync("/snapshot-neighbour", "outside the prefix");
    }

    // Reads the prefix with client while a writer keeps changing it, and checks with checker that the read is etcd's
    // state at one revision.
    private static async Task<(List<(string Key, string Value)> Read, int Pages, PrefixSnapshotReader Reader)> ReadWhileWritingAsync(EtcdClient client, EtcdClient checker, int count)
    {
        var mapper = new KeyMapper("/snap/");
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                await checker.KV.PutAsync(Key(n % count), "later", cancellationToken: CancellationToken.None);
            }
        });

        var read = new List<(string Key, string Value)>();
        var pages = 0;
        long newest = 0;
        var reader = new PrefixSnapshotReader(client, mapper.PrefixBytes, mapper.RangeEnd);
        var revision = await reader.ReadAsync(
            page =>
            {
                pages++;
                foreach (var kv in page)
                {
                    read.Add((Encoding.UTF8.GetString(kv.KeyBytes.Span), Encoding.UTF8.GetString(kv.ValueBytes.Span)));
                    newest = Math.Max(newest, kv.ModRevision);
                }
            },
            CancellationToken.None);
        await stop.CancelAsync();
        await writer;

        Assert.Equal(Enumerable.Range(0, count).Select(Key).Order(StringComparer.Ordinal), read.Select(r => r.Key));
        var atRevision = await checker.KV.GetAsync("/snap/", new GetOptions { Prefix = true, Revision = revision });
        Assert.Equal(atRevision.Kvs.Select(kv => (kv.Key, kv.Value)), read);
        Assert.True(newest <= revision, $"A key changed at {newest} came into a snapshot at {revision}.");
        return (read, pages, reader);
    }

    private static string Key(int i) => string.Create(CultureInfo.InvariantCulture, $"/snap/k{i:D5}");
}
