using EtcdConfiguration.Testing;
using Grpc.Core;

namespace EtcdConfiguration.Client.Tests.Watch;

/// <summary>
/// Writes keys one after another to whichever members are running and not paused, skipping a member that
/// fails, until asked to stop; counts the puts etcd confirmed. A put whose answer was lost may be applied and
/// then repeated, which only adds a revision: tests compare against etcd's revisions, not the count.
/// </summary>
internal sealed class ClusterWriter : IAsyncDisposable
{
    private readonly EtcdCluster _cluster;
    private readonly RawKv[] _members;
    private readonly string _prefix;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _confirmed;
    private int _failed;

    public ClusterWriter(EtcdCluster cluster, string prefix)
    {
        _cluster = cluster;
        _prefix = prefix;
        // A short deadline: a put to a member that is being frozen must give up soon, so the writes go on elsewhere.
        _members = [.. cluster.ClientUrls.Select(url => new RawKv(url, TimeSpan.FromSeconds(5)))];
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Puts etcd confirmed so far.</summary>
    public int Confirmed => Volatile.Read(ref _confirmed);

    /// <summary>Puts that failed (and were tried again elsewhere).</summary>
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Stops after the put under way.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var member in _members)
        {
            member.Dispose();
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var next = 0;
        var i = 0;
        while (!_stop.IsCancellationRequested)
        {
            var index = next++ % _members.Length;
            var member = _cluster.Members[index];
            if (!member.IsRunning || member.IsPaused)
            {
                await Task.Delay(1);
                continue;
            }

            try
            {
                await _members[index].PutAsync($"{_prefix}{i:D5}", $"value {i}", cancellationToken: _stop.Token);
                i++;
                Interlocked.Increment(ref _confirmed);
                // Spread the writes over the faults rather than finishing before the first one.
                await Task.Delay(5, _stop.Token);
            }
            catch (RpcException) when (!_stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failed);
                await Task.Delay(20);
            }
            catch (Exception ex) when ((ex is OperationCanceledException || ex is RpcException { StatusCode: StatusCode.Cancelled }) && _stop.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
