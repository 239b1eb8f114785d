using EtcdConfiguration.Client.Concurrency;
using EtcdConfiguration.Client.Tests.Harness;
using EtcdConfiguration.Client.Tests.KV;
using Mutex = EtcdConfiguration.Client.Concurrency.Mutex;

namespace EtcdConfiguration.Client.Tests.Concurrency;

/// <summary>
/// Our recipes and etcdctl's (Go's <c>concurrency</c> package) on the same names: the lock excludes across them,
/// and an <c>etcdctl elect -l</c> observer follows our leader. Every etcdctl is killed when its test ends.
/// </summary>
public sealed class EtcdctlConcurrencyInteropTests(SingleMemberFixture fixture) : IClassFixture<SingleMemberFixture>
{
    [Fact]
    public async Task Our_mutex_and_etcdctl_lock_on_the_same_name_exclude_each_other()
    {
        var name = SingleMemberFixture.NewPrefix("LockInterop") + "lock";
        await using var session = await Session.CreateAsync(fixture.Client, new SessionOptions { TtlSeconds = 30 });
        var ours = new Mutex(session, name);
        await ours.LockAsync();

        // etcdctl queues behind our key, and must not claim the lock while we hold it.
        await using var etcdctl = EtcdctlProcess.Start(fixture.Cluster, "lock", "--ttl=5", name);
        await WaitForContendersAsync(name, 2);
        var etcdctlClaimedWhileWeHeld = etcdctl.TryReadLine(out _);
        await ours.UnlockAsync();
        var etcdctlKey = await etcdctl.ReadLineAsync();

        // Now etcdctl holds it: we can neither take it nor get it until etcdctl's session ends.
        var tried = await ours.TryLockAsync();
        var waiting = ours.LockAsync();
        await WaitForContendersAsync(name, 2);
        var weWaitedWhileEtcdctlHeld = !waiting.IsCompleted;
        await etcdctl.DisposeAsync();
        await waiting.WaitAsync(TimeSpan.FromSeconds(5 + 30));

        Assert.False(etcdctlClaimedWhileWeHeld, "etcdctl printed its lock key while our mutex held the lock.");
        Assert.StartsWith(name + "/", etcdctlKey, StringComparison.Ordinal);
        Assert.NotEqual(ours.Key, etcdctlKey);
        Assert.False(tried);
        Assert.True(weWaitedWhileEtcdctlHeld);
        Assert.Null(await fixture.Cluster.GetAsync(etcdctlKey));
        await ours.UnlockAsync();
    }

    [Fact]
    public async Task An_etcdctl_elect_observer_sees_our_leader_and_what_it_proclaims()
    {
        var name = SingleMemberFixture.NewPrefix("ElectInterop") + "e";
        await using var session = await Session.CreateAsync(fixture.Client, new SessionOptions { TtlSeconds = 30 });
        var election = new Election(session, name);
        await election.CampaignAsync("ours-1");

        await using var observer = EtcdctlProcess.Start(fixture.Cluster, "elect", "-l", name);
        var firstKey = await observer.ReadLineAsync();
        var firstValue = await observer.ReadLineAsync();
        await election.ProclaimAsync("ours-2");
        var secondKey = await observer.ReadLineAsync();
        var secondValue = await observer.ReadLineAsync();

        Assert.Equal((election.Key, "ours-1"), (firstKey, firstValue));
        Assert.Equal((election.Key, "ours-2"), (secondKey, secondValue));
    }

    [Fact]
    public async Task An_etcdctl_candidate_waits_for_our_leader_and_we_observe_it_take_over()
    {
        var name = SingleMemberFixture.NewPrefix("ElectInterop") + "e";
        await using var session = await Session.CreateAsync(fixture.Client, new SessionOptions { TtlSeconds = 30 });
        await using var watcher = await Session.CreateAsync(fixture.Client, new SessionOptions { TtlSeconds = 30 });
        var election = new Election(session, name);
        await election.CampaignAsync("ours");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var observed = new Election(watcher, name).ObserveAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        Assert.True(await observed.MoveNextAsync());
        var before = observed.Current.Value;

        await using var candidate = EtcdctlProcess.Start(fixture.Cluster, "elect", name, "theirs");
        await Eventually.TrueAsync(
            async () => (await fixture.Client.KV.GetAsync(name + "/", new GetOptions { Prefix = true, CountOnly = true })).Count == 2,
            "etcdctl's candidacy is queued behind ours");
        var electedWhileWeLed = candidate.TryReadLine(out _);
        await election.ResignAsync();
        var candidateKey = await candidate.ReadLineAsync();
        var candidateValue = await candidate.ReadLineAsync();
        Assert.True(await observed.MoveNextAsync());

        Assert.Equal("ours", before);
        Assert.False(electedWhileWeLed, "etcdctl said it was elected while our candidate led.");
        Assert.Equal("theirs", candidateValue);
        Assert.Equal((candidateKey, "theirs"), (observed.Current.Key, observed.Current.Value));
    }

    private Task WaitForContendersAsync(string name, int count) => Eventually.TrueAsync(
        async () => (await fixture.Client.KV.GetAsync(name + "/", new GetOptions { Prefix = true, CountOnly = true })).Count == count,
        $"{count} contenders' keys are under {name}/");
}
