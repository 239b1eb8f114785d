using System.Globalization;
using EtcdConfiguration.Client.Concurrency;
using EtcdConfiguration.Client.Tests.Harness;
using EtcdConfiguration.Client.Tests.KV;
using Mutex = EtcdConfiguration.Client.Concurrency.Mutex;

namespace EtcdConfiguration.Client.Tests.Concurrency;

/// <summary>The lock excludes, queues fairly, and fails loudly when its session is lost.</summary>
public sealed class MutexTests(SingleMemberFixture fixture) : IClassFixture<SingleMemberFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_holder_key_is_the_name_and_the_lease_in_hex_as_Go_writes_it()
    {
        var name = SingleMemberFixture.NewPrefix("Mutex") + "lock";
        await using var session = await NewSessionAsync();
        var mutex = new Mutex(session, name);

        await mutex.LockAsync();
        var stored = await fixture.Client.KV.GetAsync(mutex.Key);

        Assert.Equal($"{name}/{session.LeaseId.ToString("x", CultureInfo.InvariantCulture)}", mutex.Key);
        Assert.Equal(session.LeaseId, Assert.Single(stored.Kvs).Lease);
        Assert.Equal(stored.Kvs[0].CreateRevision, mutex.Revision);
        Assert.NotNull(mutex.Header);
    }

    [Fact]
    public async Task Only_one_session_holds_the_lock_and_the_waiter_gets_it_on_unlock()
    {
        var name = SingleMemberFixture.NewPrefix("Mutex") + "lock";
        await using var first = await NewSessionAsync();
        await using var second = await NewSessionAsync();
        var held = new Mutex(first, name);
        var other = new Mutex(second, name);

        await held.LockAsync();
        var tried = await other.TryLockAsync();
        var waiting = other.LockAsync();
        await WaitForContendersAsync(name, 2);
        var waitedWhileHeld = !waiting.IsCompleted;
        var guardedByHolder = await fixture.Client.KV.Txn().If(held.IsOwner()).Then(Op.Put(name + "-data", "by holder")).CommitAsync();
        await held.UnlockAsync();
        await waiting.WaitAsync(Bound);
        var guardedByFormer = await fixture.Client.KV.Txn().If(held.IsOwner()).Then(Op.Put(name + "-data", "stale")).CommitAsync();

        Assert.False(tried);
        Assert.True(waitedWhileHeld);
        Assert.True(guardedByHolder.Succeeded);
        Assert.False(guardedByFormer.Succeeded);
        Assert.Equal(string.Empty, held.Key);
        Assert.Equal(1, (await fixture.Client.KV.GetAsync(name + "/", new GetOptions { Prefix = true, CountOnly = true })).Count);
        Assert.True((await fixture.Client.KV.Txn().If(other.IsOwner()).CommitAsync()).Succeeded);
    }

    [Fact]
    public async Task Waiters_get_the_lock_in_the_order_they_asked_for_it()
    {
        var name = SingleMemberFixture.NewPrefix("Mutex") + "lock";
        await using var s1 = await NewSessionAsync();
        await using var s2 = await NewSessionAsync();
        await using var s3 = await NewSessionAsync();
        var m1 = new Mutex(s1, name);
        var m2 = new Mutex(s2, name);
        var m3 = new Mutex(s3, name);

        await m1.LockAsync();
        var second = m2.LockAsync();
        await WaitForContendersAsync(name, 2);
        var third = m3.LockAsync();
        await WaitForContendersAsync(name, 3);
        await m1.UnlockAsync();
        await second.WaitAsync(Bound);
        var thirdWaitedForSecond = !third.IsCompleted;
        await m2.UnlockAsync();
        await third.WaitAsync(Bound);

        Assert.True(thirdWaitedForSecond);
        Assert.True(m2.Revision < m3.Revision);
    }

    [Fact]
    public async Task A_canceled_wait_removes_its_key_so_it_blocks_nobody()
    {
        var name = SingleMemberFixture.NewPrefix("Mutex") + "lock";
        await using var holder = await NewSessionAsync();
        await using var quitter = await NewSessionAsync();
        var held = new Mutex(holder, name);
        await held.LockAsync();
        using var cancel = new CancellationTokenSource();
        var quitting = new Mutex(quitter, name);

        var waiting = quitting.LockAsync(cancel.Token);
        await WaitForContendersAsync(name, 2);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Bound));
        Assert.Equal(string.Empty, quitting.Key);
        await WaitForContendersAsync(name, 1);
    }

    [Fact]
    public async Task Losing_the_session_while_waiting_throws_SessionLostException()
    {
        var name = SingleMemberFixture.NewPrefix("Mutex") + "lock";
        await using var holder = await NewSessionAsync();
        await using var doomed = await NewSessionAsync();
        await new Mutex(holder, name).LockAsync();
        var waiting = new Mutex(doomed, name).LockAsync();
        await WaitForContendersAsync(name, 2);

        await fixture.Cluster.EtcdctlAsync("lease", "revoke", doomed.LeaseId.ToString("x", CultureInfo.InvariantCulture));

        var lost = await Assert.ThrowsAsync<SessionLostException>(() => waiting.WaitAsync(Bound));
        Assert.Equal(doomed.LeaseId, lost.LeaseId);
        await Assert.ThrowsAsync<SessionLostException>(() => new Mutex(doomed, name).LockAsync());
    }

    [Fact]
    public async Task Locking_again_on_the_same_session_reuses_the_key()
    {
        var name = SingleMemberFixture.NewPrefix("Mutex") + "lock";
        await using var session = await NewSessionAsync();
        var mutex = new Mutex(session, name);

        await mutex.LockAsync();
        var revision = mutex.Revision;
        await new Mutex(session, name).LockAsync().WaitAsync(Bound);

        Assert.Equal(revision, mutex.Revision);
        Assert.Throws<ArgumentException>(() => new Mutex(session, string.Empty));
    }

    private Task<Session> NewSessionAsync() => Session.CreateAsync(fixture.Client, new SessionOptions { TtlSeconds = 30 });

    private Task WaitForContendersAsync(string name, int count) => Eventually.TrueAsync(
        async () => (await fixture.Client.KV.GetAsync(name + "/", new GetOptions { Prefix = true, CountOnly = true })).Count == count,
        $"{count} contenders' keys are under {name}/");
}
