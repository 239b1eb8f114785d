using Grpc.Core;

namespace EtcdConfiguration.Client;

/// <summary>The lease does not exist: it expired, was revoked, or never existed.</summary>
public class EtcdLeaseNotFoundException : EtcdException
{
    /// <summary>Creates an exception with a message.</summary>
    public EtcdLeaseNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public EtcdLeaseNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a call that named a missing lease.</summary>
    /// <param name="message">The whole message.</param>
    /// <param name="leaseId">The lease, when known (0 otherwise).</param>
    /// <param name="operation">The call that failed.</param>
    /// <param name="endpoint">The endpoint that was called.</param>
    /// <param name="innerException">The cause.</param>
    public EtcdLeaseNotFoundException(string message, long leaseId, string? operation, string? endpoint, Exception? innerException)
        : base(message, operation, endpoint, StatusCode.NotFound, innerException)
    {
        LeaseId = leaseId;
    }

    /// <summary>Creates an exception without a message.</summary>
    public EtcdLeaseNotFoundException()
    {
    }

    /// <summary>The missing lease's ID, when known (0 otherwise).</summary>
    public long LeaseId { get; }
}
