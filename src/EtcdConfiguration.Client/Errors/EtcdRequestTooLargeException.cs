namespace EtcdConfiguration.Client;

/// <summary>
/// A request was larger than <see cref="EtcdClientOptions.MaxSendMessageSize"/>, so the client did not send it
/// (and does not retry it). Split it (fewer keys per transaction, a smaller value) or raise the limit; etcd has
/// its own limit too (<c>--max-request-bytes</c>, 1.5 MiB by default).
/// </summary>
public class EtcdRequestTooLargeException : EtcdInvalidArgumentException
{
    /// <summary>Creates an exception with a message.</summary>
    public EtcdRequestTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public EtcdRequestTooLargeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a request over the limit.</summary>
    /// <param name="message">The whole message.</param>
    /// <param name="operation">The call, such as <c>KV.Put</c>.</param>
    /// <param name="requestSize">The request's size in bytes.</param>
    /// <param name="limit">The limit it exceeded, in bytes.</param>
    public EtcdRequestTooLargeException(string message, string operation, int requestSize, int limit)
        : base(message, operation, null, Grpc.Core.StatusCode.ResourceExhausted, null)
    {
        RequestSize = requestSize;
        Limit = limit;
    }

    /// <summary>Creates an exception without a message.</summary>
    public EtcdRequestTooLargeException()
    {
    }

    /// <summary>The request's size in bytes (its protobuf encoding).</summary>
    public int RequestSize { get; }

    /// <summary>The limit in bytes, <see cref="EtcdClientOptions.MaxSendMessageSize"/>.</summary>
    public int Limit { get; }
}
