using EtcdConfiguration.Client.Tests.KV;
using LeaderWorker;

namespace EtcdConfiguration.Client.Tests.Concurrency;

/// <summary>
/// Two instances of the LeaderWorker sample, each with its own client as two processes would have: exactly one runs
/// the job at a time, and the other takes over when the first stops.
/// </summary>
public sealed class LeaderWorkerTests(SingleMemberFixture fixture) : IClassFixture<SingleMemberFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly Lock _gate = new();
    private readonly List<string> _runs = [];
    private int _running;
    private int _mostAtOnce;

    [Fact]
    public async Task Exactly_one_instance_runs_the_job_and_the_other_takes_over_when_it_stops()
    {
        var electionName = SingleMemberFixture.NewPrefix("LeaderWorker") + "job";
        await using var clientA = await ConnectAsync();
        await using var clientB = await ConnectAsync();
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var startedA = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var startedB = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workerA = new Worker(clientA, electionName, "a").RunAsync(token => JobAsync("a", startedA, token), stopA.Token);
        var workerB = new Worker(clientB, electionName, "b").RunAsync(token => JobAsync("b", startedB, token), stopB.Token);

        var first = await Task.WhenAny(startedA.Task, startedB.Task).WaitAsync(Bound);
        var (stopFirst, firstWorker, secondStarted, secondName) = first == startedA.Task
            ? (stopA, workerA, startedB.Task, "b")
            : (stopB, workerB, startedA.Task, "a");
        // Both campaign; the second must be queued before the first stops for "takes over" to mean anything.
        await Eventually.TrueAsync(
            async () => (await fixture.Client.KV.GetAsync(electionName + "/", new GetOptions { Prefix = true, CountOnly = true })).Count == 2,
            "both instances are candidates");
        var secondRanWhileFirstLed = secondStarted.IsCompleted;
        await stopFirst.CancelAsync();
        await firstWorker.WaitAsync(Bound);
        await secondStarted.WaitAsync(Bound);
        await stopA.CancelAsync();
        await stopB.CancelAsync();
        await Task.WhenAll(workerA, workerB).WaitAsync(Bound);

        Assert.False(secondRanWhileFirstLed);
        Assert.Equal(1, _mostAtOnce);
        lock (_gate)
        {
            Assert.Equal(2, _runs.Count);
            Assert.Equal(secondName, _runs[1]);
        }

        Assert.Equal(0, (await fixture.Client.KV.GetAsync(electionName + "/", new GetOptions { Prefix = true, CountOnly = true })).Count);
    }

    private async Task JobAsync(string instance, TaskCompletionSource started, CancellationToken token)
    {
        lock (_gate)
        {
            _runs.Add(instance);
            _mostAtOnce = Math.Max(_mostAtOnce, ++_running);
        }

        started.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, token);
        }
        finally
        {
            lock (_gate)
            {
                _running--;
            }
        }
    }

    private Task<EtcdClient> ConnectAsync() => EtcdClient.ConnectAsync(new EtcdClientOptions
    {
        Endpoints = EtcdClient.SplitEndpoints(fixture.Cluster.Endpoints),
        DialTimeout = TimeSpan.FromSeconds(30),
    });
}
