namespace EtcdConfiguration.Client.Concurrency;

/// <summary>
/// <see cref="Election.ProclaimAsync"/> was called by a candidate that is not (or no longer) the leader
/// (Go's <c>concurrency.ErrElectionNotLeader</c>).
/// </summary>
public class ElectionNotLeaderException : EtcdException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which election, as a whole sentence.</param>
    public ElectionNotLeaderException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which election, as a whole sentence.</param>
    /// <param name="innerException">The cause.</param>
    public ElectionNotLeaderException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ElectionNotLeaderException()
    {
    }
}
