using EtcdConfiguration.Client;
using EtcdConfiguration.Client.Concurrency;

namespace LeaderWorker;

/// <summary>
/// One instance of a worker that runs as many instances as you like, of which exactly one runs the job at a time:
/// the one elected through an etcd <see cref="Election"/>. When the leader stops (or dies, and its session's lease
/// expires), another instance is elected and takes over. The README quotes the <c>// snippet:</c> region.
/// </summary>
/// <param name="client">The etcd client.</param>
/// <param name="electionName">The election every instance of this worker joins, such as <c>/workers/report</c>.</param>
/// <param name="instance">This instance's name, which the leader proclaims (<c>etcdctl elect -l</c> shows it).</param>
public sealed class Worker(EtcdClient client, string electionName, string instance)
{
    /// <summary>Runs until <paramref name="stopping"/> is canceled, running <paramref name="job"/> whenever this instance leads.</summary>
    /// <param name="job">The work only one instance may do; it must stop when its token is canceled.</param>
    /// <param name="stopping">Stops the worker: the job is canceled and the leadership handed over.</param>
    /// <returns>A task that completes when the worker has stopped.</returns>
    public async Task RunAsync(Func<CancellationToken, Task> job, CancellationToken stopping)
    {
        // snippet: worker
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                // A session per term. Leaving the block closes it, revoking its lease: that hands the leadership over
                // at once. If the process dies instead, the lease expires after its TTL and the next instance leads.
                await using var session = await Session.CreateAsync(client, new SessionOptions { TtlSeconds = 10 }, stopping);
                await new Election(session, electionName).CampaignAsync(instance, stopping); // returns once elected
                using var leading = CancellationTokenSource.CreateLinkedTokenSource(stopping, session.LostToken);
                await job(leading.Token); // until stopped, or until the session (and the leadership with it) is lost
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Stopping.
            }
            catch (Exception ex) when (ex is SessionLostException or OperationCanceledException)
            {
                // The session was lost, so this instance no longer leads: campaign again with a new one.
            }
        }
        // end snippet
    }
}
