using Grpc.Core;

namespace EtcdConfiguration.Client;

/// <summary>The call did not finish within its deadline (<see cref="EtcdClientOptions.RequestTimeout"/> or the caller's).</summary>
public class EtcdDeadlineExceededException : EtcdException
{
    /// <summary>Creates an exception with a message.</summary>
    public EtcdDeadlineExceededException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public EtcdDeadlineExceededException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a failed call.</summary>
    /// <param name="message">The whole message.</param>
    /// <param name="operation">The call that failed.</param>
    /// <param name="endpoint">The endpoint that was called.</param>
    /// <param name="statusCode">The gRPC status of the failure.</param>
    /// <param name="innerException">The cause.</param>
    internal EtcdDeadlineExceededException(string message, string? operation, string? endpoint, StatusCode statusCode, Exception? innerException)
        : base(message, operation, endpoint, statusCode, innerException)
    {
    }

    /// <summary>Creates an exception without a message.</summary>
    public EtcdDeadlineExceededException()
    {
    }
}
