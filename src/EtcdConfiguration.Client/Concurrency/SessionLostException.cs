namespace EtcdConfiguration.Client.Concurrency;

/// <summary>
/// A <see cref="Session"/>'s lease is gone (it expired, was revoked, or could not be renewed within its TTL), so
/// every key it held (a lock, a candidacy) is gone too or will be. Go's <c>concurrency.ErrSessionExpired</c>.
/// </summary>
public class SessionLostException : EtcdException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was lost and why, as a whole sentence.</param>
    /// <param name="leaseId">The session's lease.</param>
    /// <param name="innerException">The failure that ended the keep-alive, if one did.</param>
    public SessionLostException(string message, long leaseId, Exception? innerException)
        : base(message, innerException)
    {
        LeaseId = leaseId;
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was lost and why, as a whole sentence.</param>
    public SessionLostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was lost and why, as a whole sentence.</param>
    /// <param name="innerException">The cause.</param>
    public SessionLostException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SessionLostException()
    {
    }

    /// <summary>The session's lease.</summary>
    public long LeaseId { get; }
}
