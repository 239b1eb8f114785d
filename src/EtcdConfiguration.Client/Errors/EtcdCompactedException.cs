using Grpc.Core;

namespace EtcdConfiguration.Client;

/// <summary>
/// The requested revision has been compacted away: a read at an old revision, or a watch whose start revision
/// (or whose place in history) is gone. Re-read the current state and watch from its revision.
/// </summary>
public class EtcdCompactedException : EtcdException
{
    /// <summary>Creates an exception with a message.</summary>
    public EtcdCompactedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public EtcdCompactedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a call that reached compacted history.</summary>
    /// <param name="message">The whole message.</param>
    /// <param name="compactRevision">The oldest revision still available, when etcd said (0 when unknown).</param>
    /// <param name="operation">The call that failed.</param>
    /// <param name="endpoint">The endpoint that was called.</param>
    /// <param name="innerException">The cause.</param>
    public EtcdCompactedException(string message, long compactRevision, string? operation, string? endpoint, Exception? innerException)
        : base(message, operation, endpoint, StatusCode.OutOfRange, innerException)
    {
        CompactRevision = compactRevision;
    }

    /// <summary>Creates an exception without a message.</summary>
    public EtcdCompactedException()
    {
    }

    /// <summary>
    /// The compaction revision etcd reported: history before it is gone. A watch gets it from etcd; a read
    /// does not, and reports 0.
    /// </summary>
    public long CompactRevision { get; }
}
