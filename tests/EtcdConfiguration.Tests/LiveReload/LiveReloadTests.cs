using System.Collections.Concurrent;
using System.Globalization;
using EtcdConfiguration.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace EtcdConfiguration.Tests.LiveReload;

/// <summary>Changes in etcd reach the configuration and options live, whole revisions at a time, once each.</summary>
public sealed class LiveReloadTests(ProviderClusterFixture fixture, ITestOutputHelper output) : IClassFixture<ProviderClusterFixture>
{
    [Fact]
    public async Task OptionsMonitorFollowsWritesFromOurClientAndFromEtcdctl()
    {
        var p = ProviderClusterFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "Db/Host", "initial");
        await fixture.Client.KV.PutAsync(p + "Db/Port", "1");
        using var root = fixture.Build(p);
        await using var services = OptionsServices(root);
        var monitor = services.GetRequiredService<IOptionsMonitor<DbOptions>>();
        Assert.Equal("initial", monitor.CurrentValue.Host);
        using var changes = new OptionsChanges<DbOptions>(monitor);

        await fixture.Client.KV.PutAsync(p + "Db/Host", "from-client");
        await changes.WaitAsync(o => o.Host == "from-client", "OnChange delivers the host our client wrote");

        await fixture.Cluster.PutAsync(p + "Db/Port", "2");
        await changes.WaitAsync(o => o.Port == 2, "OnChange delivers the port etcdctl wrote");

        await fixture.Cluster.EtcdctlWithInputAsync(
            $"\nput {p}Db/Host from-etcdctl-txn\nput {p}Db/Port 3\n\n\n",
            "txn");
        var fromTxn = await changes.WaitAsync(o => o.Host == "from-etcdctl-txn" || o.Port == 3, "OnChange delivers etcdctl's transaction");
        Assert.Equal(("from-etcdctl-txn", 3), (fromTxn.Host, fromTxn.Port));
        Assert.Equal("from-etcdctl-txn", monitor.CurrentValue.Host);
        Assert.Equal(3, monitor.CurrentValue.Port);
    }

    [Fact]
    public async Task OptionsSnapshotSeesNewValuesInANewScope()
    {
        var p = ProviderClusterFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "Db/Host", "before");
        using var root = fixture.Build(p);
        await using var services = OptionsServices(root);

        using var before = services.CreateScope();
        var old = before.ServiceProvider.GetRequiredService<IOptionsSnapshot<DbOptions>>().Value;
        Assert.Equal("before", old.Host);

        await fixture.Client.KV.PutAsync(p + "Db/Host", "after");
        await Eventually.ValueAsync(root, "Db:Host", "after");

        Assert.Equal("before", before.ServiceProvider.GetRequiredService<IOptionsSnapshot<DbOptions>>().Value.Host);
        using var after = services.CreateScope();
        Assert.Equal("after", after.ServiceProvider.GetRequiredService<IOptionsSnapshot<DbOptions>>().Value.Host);
    }

    [Fact]
    public async Task DeletesRemoveKeys()
    {
        var p = ProviderClusterFixture.NewPrefix();
        var kv = fixture.Client.KV;
        await kv.PutAsync(p + "Del/A", "1");
        await kv.PutAsync(p + "Del/B", "2");
        await kv.PutAsync(p + "Del/Sub/C", "3");
        await kv.PutAsync(p + "Del/Blob", """{ "X": "x", "Y": ["y"] }""");
        await kv.PutAsync(p + "Keep", "k");
        using var root = fixture.Build(p);

        await kv.DeleteAsync(p + "Del/A");
        await Eventually.ValueAsync(root, "Del:A", null);
        Assert.Equal(["B", "Blob", "Sub"], ChildKeys(root.GetSection("Del")));

        await fixture.Cluster.EtcdctlAsync("del", "--", p + "Del/Blob");
        await Eventually.TrueAsync(() => !root.GetSection("Del:Blob").Exists(), "the blob's keys are gone");
        Assert.Null(root["Del:Blob:Y:0"]);
        Assert.Equal(["B", "Sub"], ChildKeys(root.GetSection("Del")));

        await kv.DeleteAsync(p + "Del/", new DeleteOptions { Prefix = true });
        await Eventually.TrueAsync(() => !root.GetSection("Del").Exists(), "the whole section is gone");
        Assert.Equal("k", root["Keep"]);
        Assert.Equal(["Keep"], ChildKeys(root));
    }

    [Fact]
    public async Task RevisionIsEtcdsRevisionAfterLoadAndAfterAChange()
    {
        var p = ProviderClusterFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "A", "1");
        using var root = fixture.Build(p);
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        Assert.Equal(await fixture.Cluster.GetRevisionAsync(), provider.Revision);

        var put = await fixture.Client.KV.PutAsync(p + "A", "2");
        await Eventually.TrueAsync(() => provider.Revision >= put.Header.Revision, $"the provider reaches revision {put.Header.Revision}");
        Assert.Equal(put.Header.Revision, provider.Revision);
        Assert.Equal(await fixture.Cluster.GetRevisionAsync(), provider.Revision);
        Assert.Equal("2", root["A"]);

        var deleted = await fixture.Client.KV.DeleteAsync(p + "A");
        await Eventually.TrueAsync(() => provider.Revision >= deleted.Header.Revision, $"the provider reaches revision {deleted.Header.Revision}");
        Assert.Equal(await fixture.Cluster.GetRevisionAsync(), provider.Revision);
        Assert.Null(root["A"]);
    }

    [Fact]
    public async Task AWriteThatChangesNothingFiresNoReload()
    {
        var p = ProviderClusterFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "Same", "value");
        await fixture.Client.KV.PutAsync(p + "Blob", """{"X":1,"Y":[true]}""");
        using var root = fixture.Build(p);
        using var reloads = new ReloadRecorder(root, probeKey: "Marker");

        await fixture.Client.KV.PutAsync(p + "Same", "value");
        await fixture.Cluster.PutAsync(p + "Same", "value");
        await fixture.Client.KV.PutAsync(p + "Blob", """{ "X": 1, "Y": [ true ], }""");
        await fixture.Client.KV.PutAsync(p + "Marker", "1");
        await Eventually.TrueAsync(() => reloads.Probes.Contains("1"), "a reload shows the marker");

        // Only the marker's batch reloaded: an extra reload for an unchanged write would show no marker yet.
        Assert.Equal(["1"], reloads.Probes);
        Assert.Equal("value", root["Same"]);
    }

    [Fact]
    public async Task ATransactionIsSeenWholeOrNotAtAll()
    {
        // Each transaction writes one consistent pair (host-n, n), n increasing. Reads are two separate calls,
        // so the pair read may straddle two transactions, but whatever is read second can never be older than
        // what was read first; reading Host before Port catches a half-applied batch that set Host first, and
        // reading Port before Host catches one that set Port first.
        const int Transactions = 300;
        const long MaxReads = 50_000_000;
        var p = ProviderClusterFixture.NewPrefix();
        var hostKey = p + "Db/Host";
        var portKey = p + "Db/Port";
        await fixture.Client.KV.Txn().Then(Op.Put(hostKey, "host-0"), Op.Put(portKey, "0")).CommitAsync();
        using var root = fixture.Build(p);

        var violations = new ConcurrentQueue<string>();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stop = 0;
        long reads = 0;
        var reader = Task.Factory.StartNew(
            () =>
            {
                for (; reads < MaxReads && Volatile.Read(ref stop) == 0; reads++)
                {
                    var hostFirst = (reads & 1) == 0;
                    int host, port;
                    if (hostFirst)
                    {
                        host = HostNumber(root["Db:Host"]);
                        port = int.Parse(root["Db:Port"]!, CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        port = int.Parse(root["Db:Port"]!, CultureInfo.InvariantCulture);
                        host = HostNumber(root["Db:Host"]);
                    }

                    if (hostFirst ? port < host : host < port)
                    {
                        violations.Enqueue($"read {(hostFirst ? "Host then Port" : "Port then Host")}: host-{host}, port {port}");
                    }

                    started.TrySetResult();
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        await Eventually.WithinAsync(started.Task, "the reader has read once");

        for (var n = 1; n <= Transactions; n++)
        {
            var response = await fixture.Client.KV.Txn()
                .Then(Op.Put(hostKey, $"host-{n}"), Op.Put(portKey, n.ToString(CultureInfo.InvariantCulture)))
                .CommitAsync();
            Assert.True(response.Succeeded);
        }

        var last = Transactions.ToString(CultureInfo.InvariantCulture);
        await Eventually.TrueAsync(() => root["Db:Port"] == last && root["Db:Host"] == $"host-{last}", "the last transaction is visible");
        Interlocked.Exchange(ref stop, 1);
        await Eventually.WithinAsync(reader, "the reader stops");

        output.WriteLine($"{reads} reads during {Transactions} transactions.");
        Assert.True(violations.IsEmpty, $"{violations.Count} mixed reads in {reads} reads, e.g. {string.Join("; ", violations.Take(5))}");
    }

    [Fact]
    public async Task AThrowingOnChangeHandlerIsNotAnEtcdFailureAndDoesNotStopLaterChanges()
    {
        var p = ProviderClusterFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "Db/Host", "0");
        var failures = new ConcurrentQueue<EtcdLoadExceptionContext>();
        var logs = new FakeLogCollector();
        using var loggerFactory = logs.CreateFactory();
        using var root = fixture.Build(p, source =>
        {
            source.OnLoadException = failures.Enqueue;
            source.LoggerFactory = loggerFactory;
        });
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        await using var services = OptionsServices(root);
        var monitor = services.GetRequiredService<IOptionsMonitor<DbOptions>>();
        var calls = 0;
        using var throwing = monitor.OnChange(_ =>
        {
            Interlocked.Increment(ref calls);
            throw new InvalidOperationException("A handler failed.");
        });

        for (var i = 1; i <= 5; i++)
        {
            var value = i.ToString(CultureInfo.InvariantCulture);
            await fixture.Client.KV.PutAsync(p + "Db/Host", value);
            await Eventually.TrueAsync(() => Volatile.Read(ref calls) == i, $"the handler is called for change {i}");
            await Eventually.TrueAsync(() => monitor.CurrentValue.Host == value, "the options follow");
        }

        // The handler's exception is the app's: it is logged, but it is no etcd failure and breaks no watch.
        Assert.Empty(failures);
        Assert.Equal(EtcdConfigurationState.Live, provider.Status.State);
        Assert.Contains(logs.Lines, line => line.Contains("A handler failed.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASlowOnChangeHandlerDelaysLaterBatchesButLosesNone()
    {
        const int Writes = 100;
        var p = ProviderClusterFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "Db/Port", "0");
        using var root = fixture.Build(p);
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        await using var services = OptionsServices(root);
        var monitor = services.GetRequiredService<IOptionsMonitor<DbOptions>>();
        using var release = new ManualResetEventSlim();
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var delivered = new ConcurrentQueue<int>();
        using var slow = monitor.OnChange(options =>
        {
            delivered.Enqueue(options.Port);
            if (options.Port == 1)
            {
                // Held until the test releases it (the bound only frees the watch of a test that went wrong).
                blocked.TrySetResult();
                release.Wait(Eventually.DefaultTimeout);
            }
        });

        long last = 0;
        try
        {
            await fixture.Client.KV.PutAsync(p + "Db/Port", "1");
            await Eventually.WithinAsync(blocked.Task, "the handler is called for the first change");
            for (var port = 2; port <= Writes; port++)
            {
                last = (await fixture.Client.KV.PutAsync(p + "Db/Port", port.ToString(CultureInfo.InvariantCulture))).Header.Revision;
            }

            Assert.Equal("1", root["Db:Port"]);
        }
        finally
        {
            release.Set();
        }

        await Eventually.TrueAsync(() => provider.Revision == last, $"the provider reaches revision {last}");
        Assert.Equal(Writes.ToString(CultureInfo.InvariantCulture), root["Db:Port"]);
        await Eventually.TrueAsync(() => delivered.Contains(Writes), "the handler is called with the last value");
        var order = delivered.ToArray();
        Assert.Equal(order.Order(), order);
    }

    [Fact]
    public async Task ABurstOfWritesConvergesExactlyToEtcdWithFewerReloadsThanWrites()
    {
        const int Writes = 5000;
        const int Keys = 50;
        var p = ProviderClusterFixture.NewPrefix();
        using var root = fixture.Build(p);
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        using var reloads = new ReloadRecorder(root);

        long lastRevision = 0;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Writes),
            new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, cancellationToken) =>
            {
                var key = $"{p}Burst/K{i % Keys:00}";
                var response = (i / Keys) % 3 == 0
                    ? await fixture.Client.KV.PutAsync(key, $$"""{ "Write": {{i}}, "Tags": ["t{{i}}"] }""", cancellationToken: cancellationToken)
                    : await fixture.Client.KV.PutAsync(key, $"write-{i}", cancellationToken: cancellationToken);
                InterlockedMax(ref lastRevision, response.Header.Revision);
            });

        await Eventually.TrueAsync(
            () => provider.Revision >= Interlocked.Read(ref lastRevision),
            $"the provider reaches revision {lastRevision} (it is at {provider.Revision})",
            TimeSpan.FromSeconds(60));

        var etcd = await fixture.Client.KV.GetAsync(p, new GetOptions { Prefix = true });
        Assert.Equal(Keys, etcd.Kvs.Count);
        var expected = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var kv in etcd.Kvs)
        {
            var path = kv.Key[p.Length..].Replace('/', ':');
            if (kv.Value.StartsWith('{'))
            {
                var json = new ConfigurationBuilder().AddJsonStream(new MemoryStream(kv.ValueBytes.ToArray())).Build();
                foreach (var (key, value) in json.AsEnumerable().Where(e => e.Value is not null))
                {
                    expected[path + ":" + key] = value;
                }
            }
            else
            {
                expected[path] = kv.Value;
            }
        }

        var actual = root.AsEnumerable().Where(e => e.Value is not null).ToDictionary(e => e.Key, e => e.Value, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.OrdinalIgnoreCase), actual.OrderBy(e => e.Key, StringComparer.OrdinalIgnoreCase));
        Assert.Equal(Keys, root.GetSection("Burst").GetChildren().Count());
        output.WriteLine($"{Writes} writes over {Keys} keys gave {reloads.Count} reloads.");
        Assert.InRange(reloads.Count, 1, Writes - 1);
    }

    private static ServiceProvider OptionsServices(ConfigurationRoot root)
    {
        var services = new ServiceCollection();
        services.AddOptions();
        services.Configure<DbOptions>(root.GetSection("Db"));
        return services.BuildServiceProvider();
    }

    private static List<string> ChildKeys(IConfiguration configuration) =>
        configuration.GetChildren().Select(c => c.Key).Order(StringComparer.Ordinal).ToList();

    private static int HostNumber(string? host) => int.Parse(host!.AsSpan("host-".Length), CultureInfo.InvariantCulture);

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
