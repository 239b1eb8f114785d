using Grpc.Core;

namespace EtcdConfiguration.Client;

/// <summary>Authentication failed: a wrong user name or password, or no credentials while etcd requires them. The message names the user, never the password.</summary>
public class EtcdAuthenticationException : EtcdException
{
    /// <summary>Creates an exception with a message.</summary>
    public EtcdAuthenticationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public EtcdAuthenticationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a failed call.</summary>
    /// <param name="message">The whole message.</param>
    /// <param name="operation">The call that failed.</param>
    /// <param name="endpoint">The endpoint that was called.</param>
    /// <param name="statusCode">The gRPC status of the failure.</param>
    /// <param name="innerException">The cause.</param>
    internal EtcdAuthenticationException(string message, string? operation, string? endpoint, StatusCode statusCode, Exception? innerException)
        : base(message, operation, endpoint, statusCode, innerException)
    {
    }

    /// <summary>Creates an exception without a message.</summary>
    public EtcdAuthenticationException()
    {
    }
}
