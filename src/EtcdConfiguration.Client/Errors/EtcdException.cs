using Grpc.Core;

namespace EtcdConfiguration.Client;

/// <summary>
/// A failed etcd call. Subclasses name the failures a caller may want to handle; the message names the
/// operation and the endpoint, never a password, token or value.
/// </summary>
public class EtcdException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    public EtcdException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public EtcdException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a failed call, with what etcd or the transport said.</summary>
    /// <param name="message">The whole message.</param>
    /// <param name="operation">The call that failed, such as <c>KV.Range</c>.</param>
    /// <param name="endpoint">The endpoint that was called, when one was.</param>
    /// <param name="statusCode">The gRPC status of the failure.</param>
    /// <param name="innerException">The cause.</param>
    internal EtcdException(string message, string? operation, string? endpoint, StatusCode statusCode, Exception? innerException)
        : base(message, innerException)
    {
        Operation = operation;
        Endpoint = endpoint;
        StatusCode = statusCode;
    }

    /// <summary>Creates an exception without a message (for serializers and subclasses).</summary>
    public EtcdException()
    {
    }

    /// <summary>The call that failed, such as <c>KV.Range</c>; <see langword="null"/> when not tied to one call.</summary>
    public string? Operation { get; }

    /// <summary>The endpoint of the last attempt; <see langword="null"/> when none was reached.</summary>
    public string? Endpoint { get; }

    /// <summary>The gRPC status code of the failure (<see cref="StatusCode.Unknown"/> when not from gRPC).</summary>
    public StatusCode StatusCode { get; } = StatusCode.Unknown;
}
