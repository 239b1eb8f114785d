using EtcdConfiguration.Client;

namespace ClientTour;

/// <summary>
/// Walks the sections of Go's clientv3 tutorial (connect, Put, Get, Lease, Op, Txn, Watch) against a running
/// etcd. The README quotes the regions between <c>// snippet:</c> markers verbatim, and a test checks that.
/// </summary>
public static class Tour
{
    /// <summary>Runs every section in order, writing what each one sees to <paramref name="output"/>.</summary>
    /// <param name="endpoints">Comma-separated etcd URLs.</param>
    /// <param name="output">Where the tour reports.</param>
    public static async Task RunAsync(string endpoints, TextWriter output)
    {
        // snippet: connect
        await using var client = await EtcdClient.ConnectAsync(new EtcdClientOptions
        {
            Endpoints = EtcdClient.SplitEndpoints(endpoints),
            DialTimeout = TimeSpan.FromSeconds(5),
        });
        // end snippet

        await PutAsync(client, output);
        await GetAsync(client, output);
        await LeaseAsync(client, output);
        await OpAsync(client, output);
        await TxnAsync(client, output);
        await WatchAsync(client, output);
    }

    private static async Task PutAsync(EtcdClient client, TextWriter output)
    {
        // snippet: put
        var put = await client.KV.PutAsync("/test/key1", "Hello etcd!");
        output.WriteLine($"put /test/key1 at revision {put.Header.Revision}");

        // Another key under /test/, and one that only shares the text "/test".
        await client.KV.PutAsync("/test/key2", "Hello World!");
        await client.KV.PutAsync("/testspam", "spam");

        // PrevKv returns the value the put replaced.
        var again = await client.KV.PutAsync("/test/key1", "Hello again!", new PutOptions { PrevKv = true });
        output.WriteLine($"/test/key1 was \"{again.PrevKv?.Value}\"");
        // end snippet
    }

    private static async Task GetAsync(EtcdClient client, TextWriter output)
    {
        // snippet: get
        var one = await client.KV.GetAsync("/test/key1");
        output.WriteLine($"/test/key1 = \"{one.Kvs[0].Value}\" (version {one.Kvs[0].Version})");

        // A prefix is a range: "/test/" covers ["/test/", "/test0"), so /testspam is not in it...
        var dir = await client.KV.GetAsync("/test/", new GetOptions { Prefix = true });
        output.WriteLine($"prefix /test/: {string.Join(", ", dir.Kvs.Select(kv => kv.Key))}");

        // ...but "/test" without the slash covers it too.
        var loose = await client.KV.GetAsync("/test", new GetOptions { Prefix = true });
        output.WriteLine($"prefix /test: {string.Join(", ", loose.Kvs.Select(kv => kv.Key))}");

        // Limit pages through a range: More says there is more, Count how many keys match in all.
        var page = await client.KV.GetAsync("/test", new GetOptions { Prefix = true, Limit = 1 });
        output.WriteLine($"limit 1: {page.Kvs[0].Key}, more = {page.More}, count = {page.Count}");
        // end snippet
    }

    private static async Task LeaseAsync(EtcdClient client, TextWriter output)
    {
        // snippet: lease
        var lease = await client.Lease.GrantAsync(ttlSeconds: 10);
        await client.KV.PutAsync("/test/vanish", "vanish in 10s", new PutOptions { Lease = lease.Id });

        // Renew once by hand...
        var renewed = await client.Lease.KeepAliveOnceAsync(lease.Id);
        output.WriteLine($"lease {lease.Id:x} renewed, ttl {renewed.Ttl} s");

        // ...or keep it alive in the background until cancelled (it renews at about a third of the TTL).
        using var keepAlive = new CancellationTokenSource();
        var renewals = Task.Run(async () =>
        {
            await foreach (var response in client.Lease.KeepAliveAsync(lease.Id, keepAlive.Token))
            {
                _ = response.Ttl;
            }
        });

        var ttl = await client.Lease.TimeToLiveAsync(lease.Id, keys: true);
        output.WriteLine($"lease {lease.Id:x} holds {string.Join(", ", ttl.Keys)}");

        // Revoking the lease deletes its keys at once.
        await keepAlive.CancelAsync();
        await client.Lease.RevokeAsync(lease.Id);
        var gone = await client.KV.GetAsync("/test/vanish");
        output.WriteLine($"after revoke /test/vanish exists: {gone.Kvs.Count > 0}");
        // end snippet

        try
        {
            await renewals;
        }
        catch (OperationCanceledException)
        {
            // Cancelled as asked.
        }
    }

    private static async Task OpAsync(EtcdClient client, TextWriter output)
    {
        // snippet: op
        Op[] ops =
        [
            Op.Put("put-key", "123"),
            Op.Get("put-key"),
            Op.Put("put-key", "456"),
        ];
        foreach (var op in ops)
        {
            var response = await client.KV.DoAsync(op);
            if (response.Get is { } get)
            {
                output.WriteLine($"op get put-key = {get.Kvs[0].Value}");
            }
        }
        // end snippet
    }

    private static async Task TxnAsync(EtcdClient client, TextWriter output)
    {
        // snippet: txn
        await client.KV.PutAsync("k1", "v2");
        var txn = await client.KV.Txn()
            .If(
                Compare.Value("k1", CompareResult.Greater, "v1"),
                Compare.Version("k1", CompareResult.Equal, 1))
            .Then(Op.Put("k2", "v2"), Op.Put("k3", "v3"))
            .Else(Op.Put("k4", "v4"), Op.Put("k5", "v5"))
            .CommitAsync();
        output.WriteLine($"txn took the {(txn.Succeeded ? "Then" : "Else")} branch");
        // end snippet
    }

    private static async Task WatchAsync(EtcdClient client, TextWriter output)
    {
        // snippet: watch
        var start = (await client.KV.GetAsync("config_key")).Header.Revision + 1;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var watching = Task.Run(async () =>
        {
            var seen = 0;
            var changes = client.Watch.WatchAsync("config_key", new WatchOptions { StartRevision = start, PrevKv = true }, stop.Token);
            await foreach (var response in changes)
            {
                foreach (var change in response.Events)
                {
                    output.WriteLine($"watch: {change.Type} {change.Kv.Key} = \"{change.Kv.Value}\" (was \"{change.PrevKv?.Value}\")");
                    seen++;
                }

                if (seen == 3)
                {
                    return;
                }
            }
        });

        await client.KV.PutAsync("config_key", "{\"config1\": \"a\"}");
        await client.KV.PutAsync("config_key", "{\"config1\": \"b\"}");
        await client.KV.DeleteAsync("config_key");
        await watching;
        // end snippet
    }
}
