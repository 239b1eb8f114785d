using System.Diagnostics;
using System.Globalization;
using System.Text;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// One child process of the scale scenario: it holds <c>count</c> independent app instances of one variant, each
/// with its own client, connection and watch stream, and reports on standard output when every one of them has seen
/// a write. Its lines start with <see cref="Tag"/>: <c>ready</c> once all instances exist, <c>round r t0 t1 ...</c>
/// (each instance's arrival timestamp) per completed write, and <c>memory heap rss total</c> (bytes per instance: heap and
/// RSS above the baseline, and the whole RSS) when asked with <c>measure</c> on standard input; <c>exit</c> closes the instances and ends it.
/// </summary>
internal static class ScaleChild
{
    public const string Flag = "--scale-child";
    public const string Tag = "@scale ";

    /// <summary>Arguments: variant, member URLs (comma-separated), prefix, first instance number, count, rounds.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var variant = args[1];
        var members = args[2].Split(',');
        var prefix = args[3];
        var first = int.Parse(args[4], CultureInfo.InvariantCulture);
        var count = int.Parse(args[5], CultureInfo.InvariantCulture);
        var arrivals = new ScaleArrivals(count, int.Parse(args[6], CultureInfo.InvariantCulture));
        Func<int, Action<int, long>, Task<IDisposable>> create = variant switch
        {
            ScaleScenario.Provider => (n, seen) => Task.FromResult<IDisposable>(CreateProvider(members, prefix, first + n, seen)),
            ScaleScenario.Floor => (n, seen) => CreateFloorAsync(members, prefix, first + n, seen),
            _ => throw new ArgumentException($"Unknown scale variant '{variant}'.", nameof(args)),
        };

        // One instance built and closed first, so one-time costs (JIT, statics, pools) stay out of the baseline.
        (await create(0, (_, _) => { })).Dispose();
        await Task.Delay(200);
        Meter.Settle();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var rssBefore = ProcessStats.ResidentBytes(Environment.ProcessId);

        var instances = new List<IDisposable>(count);
        for (var n = 0; n < count; n++)
        {
            var instance = n;
            instances.Add(await create(n, (round, now) => arrivals.Seen(instance, round, now)));
        }

        Console.WriteLine(Tag + "ready");
        var reporter = ReportRoundsAsync(arrivals);
        while (Console.ReadLine() is { } command && command != "exit")
        {
            if (command == "measure")
            {
                Meter.Settle();
                var heap = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
                var rss = ProcessStats.ResidentBytes(Environment.ProcessId);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Tag}memory {heap / count} {(rss - rssBefore) / count} {rss / count}"));
            }
        }

        foreach (var instance in instances)
        {
            instance.Dispose();
        }

        await reporter.WaitAsync(TimeSpan.FromSeconds(1)).ContinueWith(_ => { }, TaskScheduler.Default);
        return 0;
    }

    private static async Task ReportRoundsAsync(ScaleArrivals arrivals)
    {
        await foreach (var round in arrivals.Completed.ReadAllAsync())
        {
            var line = new StringBuilder(Tag).Append("round ").Append(round.ToString(CultureInfo.InvariantCulture));
            foreach (var at in arrivals.Of(round))
            {
                line.Append(' ').Append(at.ToString(CultureInfo.InvariantCulture));
            }

            Console.WriteLine(line.ToString());
        }
    }

    /// <summary>
    /// An app's configuration: every member listed, as apps list them, starting at a different one per instance so
    /// the connections spread over the cluster; a client of its own (no sharing with the other instances here).
    /// </summary>
    private static Instance CreateProvider(string[] members, string prefix, int number, Action<int, long> seen)
    {
        var endpoints = Enumerable.Range(0, members.Length).Select(i => members[(number + i) % members.Length]).ToList();
        var root = new ConfigurationBuilder().AddEtcd(source =>
        {
            source.Endpoints = endpoints;
            source.Prefix = prefix;
            source.ShareClient = false;
        }).Build();
        var subscription = ChangeToken.OnChange(root.GetReloadToken, () =>
        {
            var now = Stopwatch.GetTimestamp();
            seen(ScaleArrivals.RoundOf(root[ScaleScenario.ProbeKey]), now);
        });
        return new Instance(subscription, (IDisposable)root);
    }

    /// <summary>
    /// The floor: a dotnet-etcd client set up as its README does for plain http, on one member (with several it
    /// would connect to every one of them), holding one bare watch of the prefix.
    /// </summary>
    private static async Task<IDisposable> CreateFloorAsync(string[] members, string prefix, int number, Action<int, long> seen)
    {
        var client = new dotnet_etcd.EtcdClient(members[number % members.Length], configureChannelOptions: options =>
        {
            options.Credentials = ChannelCredentials.Insecure;
            options.MaxReceiveMessageSize = null;
        });
        await client.WatchRangeAsync(prefix, (Etcdserverpb.WatchResponse response) =>
        {
            var now = Stopwatch.GetTimestamp();
            var round = -1;
            foreach (var change in response.Events)
            {
                round = Math.Max(round, ScaleArrivals.RoundOf(change.Kv.Value.ToStringUtf8()));
            }

            seen(round, now);
        });
        return client;
    }

    private sealed class Instance(IDisposable subscription, IDisposable root) : IDisposable
    {
        public void Dispose()
        {
            subscription.Dispose();
            root.Dispose();
        }
    }
}
