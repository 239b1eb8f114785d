using System.Collections.Concurrent;
using EtcdConfiguration.Client.Internal;
using EtcdConfiguration.Client.Tests.Harness;
using EtcdConfiguration.Client.Tests.Watch;
using Microsoft.Extensions.Time.Testing;

namespace EtcdConfiguration.Client.Tests.Endpoints;

/// <summary>The auto-sync rule and cadence on a fake clock, with member lists made up by the test.</summary>
public sealed class EndpointAutoSyncTests
{
    private static readonly ResponseHeader _header = new(1, 1, 1, 1);

    [Fact]
    public void The_endpoints_are_the_client_urls_of_started_voting_members()
    {
        Member[] members =
        [
            new(1, "m0", ["http://127.0.0.1:2380"], ["http://127.0.0.1:2379", "http://10.0.0.1:2379"], false),
            new(2, string.Empty, ["http://127.0.0.1:2480"], [], false),
            new(3, "learner", ["http://127.0.0.1:2580"], ["http://127.0.0.1:2579"], true),
            new(4, "m1", ["http://127.0.0.1:2680"], ["unix://etcd.sock", "http://127.0.0.1:2379"], false),
        ];

        var urls = EndpointAutoSync.ClientUrls(members, defaultToHttps: false);

        Assert.Equal(["http://127.0.0.1:2379", "http://10.0.0.1:2379"], urls);
    }

    [Fact]
    public async Task Each_interval_on_the_clock_lists_the_members_and_sets_their_endpoints()
    {
        var clock = new FakeTimeProvider();
        var start = clock.GetUtcNow();
        var listedAt = new ConcurrentQueue<TimeSpan>();
        var set = new ConcurrentQueue<IReadOnlyList<string>>();
        await using var sync = new EndpointAutoSync(
            TimeSpan.FromSeconds(30),
            clock,
            _ =>
            {
                listedAt.Enqueue(clock.GetUtcNow() - start);
                return Task.FromResult(new MemberListResponse(_header, [new(1, "m" + listedAt.Count, [], [$"http://127.0.0.1:{2000 + listedAt.Count}"], false)]));
            },
            urls =>
            {
                set.Enqueue(urls);
                return true;
            },
            defaultToHttps: false,
            new FakeLogCollector().CreateFactory().CreateLogger("test"));
        sync.Start();

        await AdvanceUntilAsync(clock, () => set.Count == 2, "two syncs");

        var times = listedAt.ToArray();
        Assert.True(times[0] >= TimeSpan.FromSeconds(30), $"The first sync came at {times[0]}, before one interval.");
        Assert.True(times[1] - times[0] >= TimeSpan.FromSeconds(30), $"The second sync came {times[1] - times[0]} after the first.");
        Assert.Equal([["http://127.0.0.1:2001"], ["http://127.0.0.1:2002"]], set.Take(2).ToArray());
    }

    [Fact]
    public async Task A_failed_or_empty_member_list_keeps_the_endpoints_and_the_next_interval_tries_again()
    {
        var clock = new FakeTimeProvider();
        var logs = new FakeLogCollector();
        var calls = 0;
        var set = new ConcurrentQueue<IReadOnlyList<string>>();
        await using var sync = new EndpointAutoSync(
            TimeSpan.FromSeconds(10),
            clock,
            _ => Interlocked.Increment(ref calls) switch
            {
                1 => throw new EtcdUnavailableException("etcd Cluster.MemberList failed: every endpoint refused the connection."),
                2 => Task.FromResult(new MemberListResponse(_header, [new(1, string.Empty, [], ["http://127.0.0.1:2379"], false)])),
                _ => Task.FromResult(new MemberListResponse(_header, [new(1, "m0", [], ["http://127.0.0.1:2379"], false)])),
            },
            urls =>
            {
                set.Enqueue(urls);
                return true;
            },
            defaultToHttps: false,
            logs.CreateFactory().CreateLogger("test"));
        sync.Start();

        await AdvanceUntilAsync(clock, () => !set.IsEmpty, "a member list with a started member");

        Assert.Equal(3, Volatile.Read(ref calls));
        Assert.Equal(["http://127.0.0.1:2379"], Assert.Single(set));
        Assert.Contains(logs.GetSnapshot(), e => e.Message.Contains("could not list the members", StringComparison.Ordinal));
        Assert.Contains(logs.GetSnapshot(), e => e.Message.Contains("found no started member", StringComparison.Ordinal));
    }

    /// <summary>Moves the fake clock a second at a time until <paramref name="condition"/> holds (the loop runs on other threads).</summary>
    private static Task AdvanceUntilAsync(FakeTimeProvider clock, Func<bool> condition, string what) =>
        Eventually.TrueAsync(
            () =>
            {
                if (condition())
                {
                    return true;
                }

                clock.Advance(TimeSpan.FromSeconds(1));
                return false;
            },
            what);
}
