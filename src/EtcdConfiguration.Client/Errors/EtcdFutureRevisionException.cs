using Grpc.Core;

namespace EtcdConfiguration.Client;

/// <summary>The call asked for a revision etcd has not reached yet.</summary>
public class EtcdFutureRevisionException : EtcdException
{
    /// <summary>Creates an exception with a message.</summary>
    public EtcdFutureRevisionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public EtcdFutureRevisionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a failed call.</summary>
    /// <param name="message">The whole message.</param>
    /// <param name="operation">The call that failed.</param>
    /// <param name="endpoint">The endpoint that was called.</param>
    /// <param name="statusCode">The gRPC status of the failure.</param>
    /// <param name="innerException">The cause.</param>
    internal EtcdFutureRevisionException(string message, string? operation, string? endpoint, StatusCode statusCode, Exception? innerException)
        : base(message, operation, endpoint, statusCode, innerException)
    {
    }

    /// <summary>Creates an exception without a message.</summary>
    public EtcdFutureRevisionException()
    {
    }
}
