using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Monitoring;

/// <summary>
/// Decides how loud one provider's outage is in the log: one Warning when etcd is lost, a Debug line for every
/// failed retry, an Information line at most every <see cref="SummaryInterval"/> while it lasts, and one
/// Information line when etcd answers again. A ten-minute outage writes about a dozen lines, not hundreds.
/// </summary>
/// <remarks>Time runs on the client's clock (<c>EtcdClientOptions.TimeProvider</c>), so tests can drive it.</remarks>
internal sealed class OutageLog
{
    /// <summary>How often a lasting outage says it still lasts.</summary>
    public static readonly TimeSpan SummaryInterval = TimeSpan.FromMinutes(1);

    private readonly string _prefix;
    private readonly ILogger _logger;
    private readonly Func<TimeProvider> _clock;
    private readonly Lock _gate = new();
    private bool _active;
    private long _startedAt;
    private long _lastSummaryAt;
    private int _attempts;

    /// <param name="prefix">The provider's prefix, for every line.</param>
    /// <param name="logger">The provider's logger.</param>
    /// <param name="clock">The clock, read at each failure (the client's, once there is one).</param>
    public OutageLog(string prefix, ILogger logger, Func<TimeProvider> clock)
    {
        _prefix = prefix;
        _logger = logger;
        _clock = clock;
    }

    /// <summary>Whether an outage is under way: a failure since the last recovery.</summary>
    public bool Active
    {
        get
        {
            lock (_gate)
            {
                return _active;
            }
        }
    }

    /// <summary>
    /// A load, watch or stream attempt failed. The first failure of an outage logs a Warning, unless
    /// <paramref name="alreadyWarned"/> (the caller logged its own, as a failed first load does); later ones log
    /// Debug, and one Information line when <see cref="SummaryInterval"/> has passed since the last.
    /// </summary>
    /// <param name="reason">What failed, a whole sentence.</param>
    /// <param name="revision">The revision served meanwhile.</param>
    /// <param name="alreadyWarned">Whether the caller has logged this failure as a Warning itself.</param>
    public void Failed(string reason, long revision, bool alreadyWarned = false)
    {
        // The reason is followed by another sentence: it must end as one.
        reason = reason.Length == 0 || reason[^1] is '.' or '!' or '?' ? reason : reason + ".";
        var clock = _clock();
        var now = clock.GetTimestamp();
        int attempts;
        TimeSpan lasting;
        lock (_gate)
        {
            if (!_active)
            {
                _active = true;
                _startedAt = now;
                _lastSummaryAt = now;
                _attempts = 1;
                if (!alreadyWarned)
                {
                    _logger.LogWarning(
                        "Lost etcd for the configuration of '{Prefix}': {Reason} Serving revision {Revision} and reconnecting in the background.",
                        _prefix,
                        reason,
                        revision);
                }

                return;
            }

            attempts = ++_attempts;
            lasting = clock.GetElapsedTime(_startedAt, now);
            if (clock.GetElapsedTime(_lastSummaryAt, now) < SummaryInterval)
            {
                _logger.LogDebug("Attempt {Attempt} to reach etcd for '{Prefix}' failed: {Reason}", attempts, _prefix, reason);
                return;
            }

            _lastSummaryAt = now;
        }

        _logger.LogInformation(
            "The configuration of '{Prefix}' is still reconnecting to etcd: {Attempts} attempts over {Seconds:0} s; serving revision {Revision}. Last error: {Reason}",
            _prefix,
            attempts,
            lasting.TotalSeconds,
            revision,
            reason);
    }

    /// <summary>etcd answers again: one Information line for the outage, if there was one.</summary>
    /// <param name="revision">The revision the configuration is live at now.</param>
    /// <returns>Whether an outage ended (and was logged).</returns>
    public bool Recovered(long revision)
    {
        var clock = _clock();
        var now = clock.GetTimestamp();
        int attempts;
        TimeSpan lasted;
        lock (_gate)
        {
            if (!_active)
            {
                return false;
            }

            _active = false;
            attempts = _attempts;
            lasted = clock.GetElapsedTime(_startedAt, now);
        }

        _logger.LogInformation(
            "The configuration of '{Prefix}' is live again at revision {Revision}: etcd answered after {Attempts} failed attempt(s) over {Seconds:0.#} s.",
            _prefix,
            revision,
            attempts,
            lasted.TotalSeconds);
        return true;
    }
}
