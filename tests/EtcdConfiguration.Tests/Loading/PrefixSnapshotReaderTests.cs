using System.Globalization;
using System.Text;
using EtcdConfiguration.Client;
using EtcdConfiguration.Mapping;
using EtcdConfiguration.Sync;
using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Tests;

/// <summary>The paged, pipelined snapshot read against a real etcd: every key once, in order, at one revision.</summary>
public sealed class PrefixSnapshotReaderTests
{
    [Fact]
    public async Task Reads_every_key_once_in_order_across_pages_of_any_size_at_one_revision()
    {
        await using var cluster = await EtcdCluster.StartAsync();
        using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = EtcdClient.SplitEndpoints(cluster.Endpoints),
            DialTimeout = TestTimeouts.EtcdAnswers,
        });
        var mapper = new KeyMapper("/snap/");
        // Small values make the second page large (by count); its run of 300 KB values makes the next ones shrink (by bytes).
        const int Count = 14_000;
        var big = new string('v', 300 * 1024);
        await Parallel.ForEachAsync(Enumerable.Range(0, Count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await client.KV.PutAsync(Key(i), i is >= 2000 and < 2030 ? big : i.ToString(CultureInfo.InvariantCulture), cancellationToken: ct));
        await client.KV.PutAsync("/snapshot-neighbour", "outside the prefix");

        // A writer keeps changing the prefix while it is read: the snapshot must be etcd's state at one revision.
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                await client.KV.PutAsync(Key(n % Count), "later", cancellationToken: CancellationToken.None);
            }
        });

        var read = new List<(string Key, string Value)>();
        var pages = 0;
        long newest = 0;
        var revision = await new PrefixSnapshotReader(client, mapper.PrefixBytes, mapper.RangeEnd).ReadAsync(
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

        Assert.Equal(Enumerable.Range(0, Count).Select(Key).Order(StringComparer.Ordinal), read.Select(r => r.Key));
        var atRevision = await client.KV.GetAsync("/snap/", new GetOptions { Prefix = true, Revision = revision });
        Assert.Equal(atRevision.Kvs.Select(kv => (kv.Key, kv.Value)), read);
        Assert.True(newest <= revision, $"A key changed at {newest} came into a snapshot at {revision}.");
        Assert.True(pages > 2, $"Only {pages} pages: the test must cross page boundaries.");
    }

    private static string Key(int i) => string.Create(CultureInfo.InvariantCulture, $"/snap/k{i:D5}");
}
