using System.Globalization;
using System.Text.Json;
using EtcdConfiguration.Client.Tests.Harness;
using EtcdConfiguration.Client.Tests.Watch;
using EtcdConfiguration.Testing;
using Xunit.Abstractions;

namespace EtcdConfiguration.Client.Tests.Endpoints;

/// <summary>AutoSyncInterval lets a client follow a cluster whose every member is replaced.</summary>
[Collection(ClusterTestGroup.Name)]
public sealed class AutoSyncClusterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_client_with_AutoSyncInterval_keeps_working_after_every_original_member_is_replaced()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(300));
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 3 }, bound.Token);
        var originals = cluster.Members.ToArray();
        var prefix = $"/auto-sync/{Guid.NewGuid():N}/";
        using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [.. cluster.ClientUrls],
            DialTimeout = TimeSpan.FromSeconds(30),
            MaxRetries = 10,
            AutoSyncInterval = TimeSpan.FromMilliseconds(300),
        });
        await using var watch = await client.Watch.StartWatchAsync(prefix, new WatchOptions { Prefix = true });
        var written = new List<long>();

        foreach (var (old, step) in originals.Select((m, i) => (m, i)))
        {
            var joined = await cluster.JoinMemberAsync(
                peerUrl => WhileUnhealthyAsync(() => cluster.EtcdctlAsync("member", "add", $"joining-{step}", "--peer-urls=" + peerUrl)),
                bound.Token);
            await Eventually.TrueAsync(() => client.Endpoints.Contains(joined.ClientUrl), $"auto-sync adds {joined.Name}");

            var oldId = await MemberIdAsync(cluster, old.Name);
            // Asked through the member that just joined: the member being removed stops at once, and an etcdctl that
            // happened to ask it hears "server stopped" whether or not the removal went through.
            await WhileUnhealthyAsync(() => cluster.EtcdctlAsync("--endpoints=" + joined.ClientUrl, "member", "remove", oldId));
            await old.KillAsync();
            await Eventually.TrueAsync(() => !client.Endpoints.Contains(old.ClientUrl), $"auto-sync drops {old.Name}");

            var put = await Elections.RetryAsync(() => client.KV.PutAsync(prefix + step, "after replacing " + old.Name, cancellationToken: bound.Token));
            written.Add(put.Header.Revision);
            output.WriteLine($"Step {step}: {old.Name} replaced by {joined.Name}; endpoints now {string.Join(", ", client.Endpoints)}.");
        }

        var final = await Elections.RetryAsync(() => client.KV.PutAsync(prefix + "final", "done", cancellationToken: bound.Token));
        written.Add(final.Header.Revision);
        var read = await client.KV.GetAsync(prefix + "final", cancellationToken: bound.Token);
        // A write the test repeated after an election may have landed twice: every revision written must be seen.
        var seen = new List<long>();
        while (!seen.Contains(final.Header.Revision))
        {
            seen.AddRange((await watch.NextAsync()).Events.Select(e => e.Kv.ModRevision));
        }

        Assert.Empty(client.Endpoints.Intersect(originals.Select(m => m.ClientUrl)));
        Assert.Equal(3, client.Endpoints.Count);
        Assert.Equal("done", Assert.Single(read.Kvs).Value);
        Assert.Empty(written.Except(seen));
        Assert.Equal(seen.Order(), seen);
    }

    /// <summary>
    /// Repeats a membership change etcd refuses as "unhealthy cluster": it accepts one only when every voter has
    /// been connected for 5 s, which a member that just started or was just elected has not.
    /// </summary>
    private static async Task WhileUnhealthyAsync(Func<Task<string>> change)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await change();
                return;
            }
            catch (EtcdctlException ex) when (ex.Message.Contains("unhealthy cluster", StringComparison.Ordinal) && waited.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(500);
            }
        }
    }

    /// <summary>The member's ID in hex, as etcdctl member remove takes it.</summary>
    private static async Task<string> MemberIdAsync(EtcdCluster cluster, string name)
    {
        using var list = JsonDocument.Parse(await cluster.EtcdctlAsync("member", "list", "-w", "json"));
        var member = list.RootElement.GetProperty("members").EnumerateArray()
            .Single(m => m.TryGetProperty("name", out var n) && n.GetString() == name);
        return member.GetProperty("ID").GetUInt64().ToString("x", CultureInfo.InvariantCulture);
    }
}
