using EtcdConfiguration.Client.Internal.Resilience;

namespace EtcdConfiguration.Client;

/// <summary>
/// The client's one decision on what is worth retrying and how long to wait: unary retries, the shared watch
/// stream's and the lease keep-alive stream's reconnects all use it, and so can code built on the client (the
/// configuration provider's background sync does).
/// </summary>
/// <remarks>
/// <para>
/// The delay before retry <c>n</c> (0-based) is <see cref="BaseDelay"/> × 2<sup>n</sup>, capped at
/// <see cref="MaxDelay"/>, then scaled by a random factor in [0.5, 1) so that many clients cut off at once do not
/// come back in step. A loop that succeeds starts again from retry 0.
/// </para>
/// <para>
/// Transient: the endpoint was unreachable or had no leader (<see cref="EtcdUnavailableException"/>), a deadline
/// passed (<see cref="EtcdDeadlineExceededException"/>, <see cref="TimeoutException"/>), the connection broke
/// under the call, or the authentication token needs renewing. Not transient: compaction, missing permissions,
/// wrong credentials, a missing lease, a bad argument, and the caller's own cancellation.
/// </para>
/// </remarks>
public sealed class EtcdRetryPolicy
{
    /// <summary>Creates the policy a client with <paramref name="options"/> uses.</summary>
    /// <param name="options">Supplies <see cref="EtcdClientOptions.RetryBaseDelay"/>, <see cref="EtcdClientOptions.RetryMaxDelay"/> and <see cref="EtcdClientOptions.TimeProvider"/>.</param>
    /// <exception cref="ArgumentException">The delays are not positive, or the time provider is missing.</exception>
    public EtcdRetryPolicy(EtcdClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RetryBaseDelay <= TimeSpan.Zero || options.RetryMaxDelay <= TimeSpan.Zero)
        {
            throw new ArgumentException(
                $"RetryBaseDelay ({options.RetryBaseDelay}) and RetryMaxDelay ({options.RetryMaxDelay}) must both be positive.",
                nameof(options));
        }

        BaseDelay = options.RetryBaseDelay;
        MaxDelay = options.RetryMaxDelay;
        TimeProvider = options.TimeProvider
            ?? throw new ArgumentException("TimeProvider must not be null; use TimeProvider.System.", nameof(options));
    }

    /// <summary>The delay before the first retry, before jitter.</summary>
    public TimeSpan BaseDelay { get; }

    /// <summary>The longest delay between two attempts, before jitter.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>The clock every wait of the policy runs on.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The delay before retry <paramref name="attempt"/> (0-based), jittered as the remarks say.</summary>
    /// <param name="attempt">How many retries came before this one since the last success.</param>
    /// <returns>A delay in [half the capped exponential delay, the capped exponential delay).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempt"/> is negative.</exception>
    public TimeSpan GetDelay(int attempt) => GetDelay(attempt, Random.Shared.NextDouble());

    /// <summary>Waits the delay before retry <paramref name="attempt"/> on <see cref="TimeProvider"/>.</summary>
    /// <param name="attempt">How many retries came before this one since the last success.</param>
    /// <param name="cancellationToken">Ends the wait with an <see cref="OperationCanceledException"/>.</param>
    /// <returns>A task that completes when the delay has passed.</returns>
    public Task DelayAsync(int attempt, CancellationToken cancellationToken = default) =>
        Task.Delay(GetDelay(attempt), TimeProvider, cancellationToken);

    /// <summary>Whether another attempt, perhaps on another endpoint, can get past <paramref name="exception"/>.</summary>
    /// <param name="exception">A failure from the client (typed <see cref="EtcdException"/>s included) or its transport.</param>
    /// <returns><see langword="true"/> for the transient failures the remarks list.</returns>
    public static bool IsTransient(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return TransientFailures.IsTransient(exception);
    }

    /// <summary>The delay for <paramref name="attempt"/> with the jitter drawn as <paramref name="random"/> in [0, 1).</summary>
    internal TimeSpan GetDelay(int attempt, double random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        var capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (random * 0.5)));
    }
}
