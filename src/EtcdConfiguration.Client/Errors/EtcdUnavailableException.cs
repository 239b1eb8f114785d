using Grpc.Core;

namespace EtcdConfiguration.Client;

/// <summary>No endpoint could serve the call: connections refused or lost, no leader, or the server stopping. Safe calls were already retried.</summary>
public class EtcdUnavailableException : EtcdException
{
    /// <summary>Creates an exception with a message.</summary>
    public EtcdUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public EtcdUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a failed call.</summary>
    /// <param name="message">The whole message.</param>
    /// <param name="operation">The call that failed.</param>
    /// <param name="endpoint">The endpoint that was called.</param>
    /// <param name="statusCode">The gRPC status of the failure.</param>
    /// <param name="innerException">The cause.</param>
    internal EtcdUnavailableException(string message, string? operation, string? endpoint, StatusCode statusCode, Exception? innerException)
        : base(message, operation, endpoint, statusCode, innerException)
    {
    }

    /// <summary>Creates an exception without a message.</summary>
    public EtcdUnavailableException()
    {
    }
}
