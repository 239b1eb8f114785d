using System.Globalization;
using EtcdConfiguration.Client.Concurrency;
using EtcdConfiguration.Client.Tests.KV;
using EtcdConfiguration.Testing;
using Microsoft.Extensions.Time.Testing;

namespace EtcdConfiguration.Client.Tests.Concurrency;

/// <summary>A session keeps its lease alive, revokes it on close, and reports every way of losing it.</summary>
public sealed class SessionTests(SingleMemberFixture fixture) : IClassFixture<SingleMemberFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_session_grants_a_lease_with_its_TTL_and_revokes_it_on_close()
    {
        var session = await Session.CreateAsync(fixture.Client, new SessionOptions { TtlSeconds = 7 });
        var alive = await fixture.Client.Lease.TimeToLiveAsync(session.LeaseId);

        await session.CloseAsync();
        var after = await fixture.Client.Lease.TimeToLiveAsync(session.LeaseId);

        Assert.True(alive.Exists);
        Assert.Equal(7, alive.GrantedTtl);
        Assert.Equal(7, session.TtlSeconds);
        Assert.False(after.Exists);
        Assert.True(session.Done.IsCompleted);
        Assert.False(session.IsLost);
        Assert.Null(session.LossReason);
        Assert.False(session.LostToken.IsCancellationRequested);
    }

    [Fact]
    public async Task Orphaning_stops_the_keep_alive_but_leaves_the_lease()
    {
        var session = await Session.CreateAsync(fixture.Client, new SessionOptions { TtlSeconds = 600 });

        await session.OrphanAsync();

        Assert.True(session.Done.IsCompleted);
        Assert.False(session.IsLost);
        Assert.True((await fixture.Client.Lease.TimeToLiveAsync(session.LeaseId)).Exists);
        await fixture.Client.Lease.RevokeAsync(session.LeaseId);
    }

    [Fact]
    public async Task A_session_on_an_existing_lease_keeps_that_lease()
    {
        var lease = await fixture.GrantLeaseAsync(30);

        await using var session = await Session.CreateAsync(fixture.Client, new SessionOptions { LeaseId = lease, TtlSeconds = 30 });

        Assert.Equal(lease, session.LeaseId);
        Assert.Equal($"session {lease:x} (TTL 30 s)", session.ToString());
    }

    [Fact]
    public async Task Revoking_the_lease_from_outside_is_reported_by_the_event_the_token_and_Done()
    {
        await using var session = await Session.CreateAsync(fixture.Client, new SessionOptions { TtlSeconds = 5 });
        var raised = new TaskCompletionSource<SessionLostEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        session.Lost += (_, e) => raised.TrySetResult(e);
        var tokenCanceled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = session.LostToken.Register(() => tokenCanceled.TrySetResult());

        await fixture.Cluster.EtcdctlAsync("lease", "revoke", session.LeaseId.ToString("x", CultureInfo.InvariantCulture));

        var lost = await raised.Task.WaitAsync(Bound);
        await tokenCanceled.Task.WaitAsync(Bound);
        await session.Done.WaitAsync(Bound);
        Assert.True(session.IsLost);
        Assert.Same(lost.Exception, session.LossReason);
        Assert.IsType<EtcdLeaseNotFoundException>(lost.Exception.InnerException);
        Assert.Equal(session.LeaseId, lost.Exception.LeaseId);
        Assert.Contains($"{session.LeaseId:x} expired or was revoked", lost.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_are_checked()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Session.CreateAsync(fixture.Client, new SessionOptions { TtlSeconds = 0 }));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Session.CreateAsync(null!));
    }
}

/// <summary>The only member dies: the session says so once its lease's TTL has run out, never silently.</summary>
public sealed class SessionMemberLossTests
{
    [Fact]
    public async Task Killing_the_only_member_is_reported_within_a_bound_after_the_TTL()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 1 });
        await using var client = await ConnectAsync(cluster);
        await using var session = await Session.CreateAsync(client, new SessionOptions { TtlSeconds = 5 });

        await cluster.Members[0].KillAsync();

        await session.Done.WaitAsync(TimeSpan.FromSeconds(session.TtlSeconds + 30));
        Assert.True(session.IsLost);
        Assert.NotNull(session.LossReason);
        Assert.True(session.LostToken.IsCancellationRequested);
    }

    [Fact]
    public async Task A_session_that_never_gets_a_renewal_is_lost_once_its_known_TTL_has_run_out()
    {
        // The member is gone before the session starts, so no renewal ever comes: the TTL the session was given is
        // all the keep-alive has to go by.
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 1 });
        await using var client = await ConnectAsync(cluster);
        var lease = await client.Lease.GrantAsync(5);
        await cluster.Members[0].KillAsync();

        await using var session = await Session.CreateAsync(client, new SessionOptions { LeaseId = lease.Id, TtlSeconds = 5 });

        await session.Done.WaitAsync(TimeSpan.FromSeconds(session.TtlSeconds + 30));
        Assert.True(session.IsLost);
        Assert.IsType<EtcdLeaseExpiredException>(session.LossReason!.InnerException);
        Assert.Contains("was not renewed within its TTL of 5 s", session.LossReason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_fake_clock_the_loss_comes_once_the_TTL_has_run_out_without_a_renewal_and_not_before()
    {
        // A long TTL in real time, so that only the fake clock (the client's, which the keep-alive times leases on)
        // can run it out while the test runs.
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 1 });
        var time = new FakeTimeProvider();
        await using var client = await ConnectAsync(cluster, time);
        await using var session = await Session.CreateAsync(client, new SessionOptions { TtlSeconds = 60 });
        await cluster.Members[0].KillAsync();
        var advanced = TimeSpan.FromSeconds(59);
        time.Advance(advanced);
        await Eventually.TrueAsync(
            () =>
            {
                if (session.IsLost)
                {
                    return true;
                }

                time.Advance(TimeSpan.FromMilliseconds(100));
                advanced += TimeSpan.FromMilliseconds(100);
                return false;
            },
            "the session is lost");

        await session.Done.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(advanced >= TimeSpan.FromSeconds(60), $"The session was lost after {advanced.TotalSeconds} s of its 60 s TTL.");
        Assert.Contains("was not renewed within its TTL of 60 s", session.LossReason!.Message, StringComparison.Ordinal);
        Assert.IsType<EtcdLeaseExpiredException>(session.LossReason.InnerException);
    }

    private static Task<EtcdClient> ConnectAsync(EtcdCluster cluster, TimeProvider? time = null) => EtcdClient.ConnectAsync(new EtcdClientOptions
    {
        Endpoints = EtcdClient.SplitEndpoints(cluster.Endpoints),
        DialTimeout = TimeSpan.FromSeconds(30),
        TimeProvider = time ?? TimeProvider.System,
    });
}
