using System.Diagnostics;
using System.Threading.Channels;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// A child's record of when each of its instances first saw each write (round), on the monotonic clock that every
/// process on the machine shares. A round is complete once every instance has seen it or a later one; an instance
/// that skipped a round (a warm-up write before its watch existed) is marked <see cref="Missed"/> for it. Every array
/// is allocated up front, so the record costs the same before and after the instances exist.
/// </summary>
internal sealed class ScaleArrivals
{
    public const long Missed = -1;

    private readonly long[][] _at;
    private readonly int[] _pending;
    private readonly int[] _lastSeen;
    private readonly Lock _gate = new();
    private readonly Channel<int> _completed = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true });

    public ScaleArrivals(int instances, int rounds)
    {
        _at = new long[rounds][];
        _pending = new int[rounds];
        for (var round = 0; round < rounds; round++)
        {
            _at[round] = new long[instances];
            _pending[round] = instances;
        }

        _lastSeen = new int[instances];
        Array.Fill(_lastSeen, -1);
    }

    /// <summary>Rounds in the order they completed.</summary>
    public ChannelReader<int> Completed => _completed.Reader;

    /// <summary>
    /// Instance <paramref name="instance"/> held the value of <paramref name="round"/> at <paramref name="now"/>
    /// (<see cref="Stopwatch.GetTimestamp"/>, read by the caller first thing, so reading the value or waiting for
    /// the lock never counts as propagation).
    /// </summary>
    public void Seen(int instance, int round, long now)
    {
        if (round < 0 || round >= _at.Length)
        {
            return;
        }

        lock (_gate)
        {
            for (var r = _lastSeen[instance] + 1; r <= round; r++)
            {
                _at[r][instance] = r == round ? now : Missed;
                if (--_pending[r] == 0)
                {
                    _completed.Writer.TryWrite(r);
                }
            }

            _lastSeen[instance] = Math.Max(_lastSeen[instance], round);
        }
    }

    /// <summary>The arrival timestamps of a completed round, one per instance.</summary>
    public long[] Of(int round)
    {
        lock (_gate)
        {
            return (long[])_at[round].Clone();
        }
    }

    /// <summary>The round a value written by the benchmark stands for (<c>r12</c> is round 12), or -1.</summary>
    public static int RoundOf(string? value) =>
        value is ['r', .. var digits] && int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var round)
            ? round
            : -1;

    public static string ValueOf(int round) => "r" + round.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
