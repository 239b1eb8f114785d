using System.Diagnostics;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// Notes when a change arrives: armed before a write, hit by the watcher (timestamp first, nothing else on the
/// watcher's thread). Hits while unarmed are ignored.
/// </summary>
internal sealed class ArrivalProbe
{
    private TaskCompletionSource<long>? _pending;

    public Task<long> Arm()
    {
        var pending = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _pending, pending);
        return pending.Task;
    }

    public void Hit()
    {
        var now = Stopwatch.GetTimestamp();
        Interlocked.Exchange(ref _pending, null)?.TrySetResult(now);
    }
}
