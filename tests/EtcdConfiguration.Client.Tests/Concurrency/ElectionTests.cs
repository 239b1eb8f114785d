using EtcdConfiguration.Client.Concurrency;
using EtcdConfiguration.Client.Tests.Harness;
using EtcdConfiguration.Client.Tests.KV;

namespace EtcdConfiguration.Client.Tests.Concurrency;

/// <summary>Campaign, proclaim, resign, leader and observe, between sessions of one client.</summary>
public sealed class ElectionTests(SingleMemberFixture fixture) : IClassFixture<SingleMemberFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_first_candidate_leads_the_next_waits_and_takes_over_on_resign()
    {
        var name = SingleMemberFixture.NewPrefix("Election") + "e";
        await using var s1 = await NewSessionAsync();
        await using var s2 = await NewSessionAsync();
        var first = new Election(s1, name);
        var second = new Election(s2, name);

        var noLeader = await first.LeaderAsync();
        await first.CampaignAsync("one");
        var campaigning = second.CampaignAsync("two");
        await WaitForCandidatesAsync(name, 2);
        var secondWaited = !campaigning.IsCompleted;
        var leaderWhileFirst = await second.LeaderAsync();
        await first.ResignAsync();
        await campaigning.WaitAsync(Bound);
        var leaderAfter = await first.LeaderAsync();

        Assert.Null(noLeader);
        Assert.True(secondWaited);
        Assert.Equal(("one", first.Prefix + $"{s1.LeaseId:x}"), (leaderWhileFirst!.Value, leaderWhileFirst.Key));
        Assert.Equal(("two", second.Key), (leaderAfter!.Value, leaderAfter.Key));
        Assert.Equal(string.Empty, first.Key);
    }

    [Fact]
    public async Task Proclaim_changes_the_value_and_fails_for_a_candidate_that_does_not_lead()
    {
        var name = SingleMemberFixture.NewPrefix("Election") + "e";
        await using var session = await NewSessionAsync();
        var election = new Election(session, name);

        await Assert.ThrowsAsync<ElectionNotLeaderException>(() => election.ProclaimAsync("early"));
        await election.CampaignAsync("one");
        await election.ProclaimAsync("two");
        var leader = await election.LeaderAsync();
        await fixture.Client.KV.DeleteAsync(election.Key);
        var gone = await Assert.ThrowsAsync<ElectionNotLeaderException>(() => election.ProclaimAsync("three"));

        Assert.Equal("two", leader!.Value);
        Assert.Contains(name, gone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Observe_yields_the_leader_its_proclamations_and_each_new_leader()
    {
        var name = SingleMemberFixture.NewPrefix("Election") + "e";
        await using var s1 = await NewSessionAsync();
        await using var s2 = await NewSessionAsync();
        await using var watcher = await NewSessionAsync();
        var first = new Election(s1, name);
        var second = new Election(s2, name);
        using var stop = new CancellationTokenSource(Bound);
        await using var observed = new Election(watcher, name).ObserveAsync(stop.Token).GetAsyncEnumerator(stop.Token);

        var waitingForLeader = observed.MoveNextAsync().AsTask();
        await first.CampaignAsync("one");
        Assert.True(await waitingForLeader);
        var firstSeen = observed.Current.Value;
        await first.ProclaimAsync("one again");
        Assert.True(await observed.MoveNextAsync());
        var proclaimed = observed.Current.Value;
        var campaigning = second.CampaignAsync("two");
        await WaitForCandidatesAsync(name, 2);
        await first.ResignAsync();
        await campaigning.WaitAsync(Bound);
        Assert.True(await observed.MoveNextAsync());

        Assert.Equal(["one", "one again", "two"], [firstSeen, proclaimed, observed.Current.Value]);
        Assert.Equal(second.Key, observed.Current.Key);
    }

    [Fact]
    public async Task Losing_the_session_while_campaigning_throws_SessionLostException()
    {
        var name = SingleMemberFixture.NewPrefix("Election") + "e";
        await using var leader = await NewSessionAsync();
        await using var doomed = await NewSessionAsync();
        await new Election(leader, name).CampaignAsync("leader");
        var campaigning = new Election(doomed, name).CampaignAsync("doomed");
        await WaitForCandidatesAsync(name, 2);

        await fixture.Client.Lease.RevokeAsync(doomed.LeaseId);

        await Assert.ThrowsAsync<SessionLostException>(() => campaigning.WaitAsync(Bound));
    }

    [Fact]
    public async Task A_resumed_election_can_proclaim_and_resign()
    {
        var name = SingleMemberFixture.NewPrefix("Election") + "e";
        await using var session = await NewSessionAsync();
        var original = new Election(session, name);
        await original.CampaignAsync("one");

        var resumed = Election.Resume(session, name, original.Key, original.Revision);
        await resumed.ProclaimAsync("resumed");
        var leader = await resumed.LeaderAsync();
        await resumed.ResignAsync();

        Assert.Equal("resumed", leader!.Value);
        Assert.Null(await original.LeaderAsync());
    }

    private Task<Session> NewSessionAsync() => Session.CreateAsync(fixture.Client, new SessionOptions { TtlSeconds = 30 });

    private Task WaitForCandidatesAsync(string name, int count) => Eventually.TrueAsync(
        async () => (await fixture.Client.KV.GetAsync(name + "/", new GetOptions { Prefix = true, CountOnly = true })).Count == count,
        $"{count} candidates' keys are under {name}/");
}
