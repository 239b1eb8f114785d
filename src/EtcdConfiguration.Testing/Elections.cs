using System.Diagnostics;

namespace EtcdConfiguration.Testing;

/// <summary>
/// Repeats a call to a multi-member cluster that failed only because a raft election was under way.
/// </summary>
/// <remarks>
/// A member starved of CPU misses heartbeats (etcd's defaults: 100 ms, 1 s election timeout), so a healthy cluster
/// on a loaded machine may elect a new leader at any moment, and a write or a linearizable read caught in it fails.
/// Use this only where the call is not what the test is about. The errors etcd gives during an election are
/// matched exactly (in <see cref="EtcdctlException.StandardError"/>, else in the exception's message), so a refused
/// connection or a wrong answer still fails the test.
/// </remarks>
public static class Elections
{
    private static readonly TimeSpan _bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan _pause = TimeSpan.FromMilliseconds(200);

    // etcdserver's ErrLeaderChanged, ErrNoLeader and ErrTimeout* ("request timed out, possibly due to ...").
    private static readonly string[] _electionErrors = ["etcdserver: leader changed", "etcdserver: no leader", "etcdserver: request timed out"];

    /// <summary>Runs <paramref name="call"/>, again while it fails with an election error, for up to 30 seconds.</summary>
    /// <param name="call">The call to the cluster.</param>
    public static Task RetryAsync(Func<Task> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return RetryAsync(async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        });
    }

    /// <summary>Runs <paramref name="call"/>, again while it fails with an election error, for up to 30 seconds.</summary>
    /// <typeparam name="T">The call's result.</typeparam>
    /// <param name="call">The call to the cluster.</param>
    /// <returns>The result of the first call that did not fail with an election error.</returns>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (Exception ex) when (IsElectionError(ex) && waited.Elapsed < _bound)
            {
                await Task.Delay(_pause).ConfigureAwait(false);
            }
        }
    }

    private static bool IsElectionError(Exception exception)
    {
        var text = exception is EtcdctlException etcdctl ? etcdctl.StandardError : exception.Message;
        return _electionErrors.Any(e => text.Contains(e, StringComparison.Ordinal));
    }
}
