using System.Diagnostics;
using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Client.Tests.Harness;

/// <summary>
/// Repeats a test's own call to a multi-member cluster that failed only because a raft election was under way.
/// </summary>
/// <remarks>
/// A member starved of CPU misses heartbeats (etcd's defaults: 100 ms, 1 s election timeout), so a healthy cluster
/// on a loaded machine may elect a new leader at any moment, and a write or a linearizable read caught in it fails.
/// Use this only where the call is not what the test is about; the error etcd gives for each is matched exactly,
/// so a refused connection or a wrong answer still fails the test.
/// </remarks>
internal static class Elections
{
    private static readonly TimeSpan _bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan _pause = TimeSpan.FromMilliseconds(200);

    // etcdserver's ErrLeaderChanged, ErrNoLeader and ErrTimeout* ("request timed out, possibly due to ...").
    private static readonly string[] _electionErrors = ["etcdserver: leader changed", "etcdserver: no leader", "etcdserver: request timed out"];

    public static Task RetryAsync(Func<Task> call) => RetryAsync(async () =>
    {
        await call();
        return true;
    });

    public static async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (IsElectionError(ex) && waited.Elapsed < _bound)
            {
                await Task.Delay(_pause);
            }
        }
    }

    private static bool IsElectionError(Exception exception)
    {
        var text = exception switch
        {
            EtcdctlException etcdctl => etcdctl.StandardError,
            EtcdException etcd => etcd.Message,
            _ => null,
        };
        return text is not null && _electionErrors.Any(e => text.Contains(e, StringComparison.Ordinal));
    }
}
