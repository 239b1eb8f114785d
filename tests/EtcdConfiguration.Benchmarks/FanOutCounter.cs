using System.Diagnostics;

namespace EtcdConfiguration.Benchmarks;

/// <summary>Counts reloads after a write: completes with the first and the last timestamps once every provider has reloaded.</summary>
internal sealed class FanOutCounter(int providers)
{
    private Round? _round;

    public Task<(long First, long Last)> Arm()
    {
        var round = new Round();
        Volatile.Write(ref _round, round);
        return round.Done.Task;
    }

    public void Hit()
    {
        var now = Stopwatch.GetTimestamp();
        var round = Volatile.Read(ref _round);
        if (round is null)
        {
            return;
        }

        var seen = Interlocked.Increment(ref round.Count);
        if (seen == 1)
        {
            round.First = now;
        }

        if (seen == providers)
        {
            round.Done.TrySetResult((Volatile.Read(ref round.First), now));
        }
    }

    private sealed class Round
    {
        public int Count;
        public long First;

        public TaskCompletionSource<(long First, long Last)> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
