using Grpc.Core;

namespace EtcdConfiguration.Client.Internal.Resilience;

/// <summary>
/// The one list of which failures another attempt can get past. Unary calls, the shared watch stream, lease
/// keep-alive and <see cref="EtcdRetryPolicy.IsTransient"/> all ask here, so they cannot disagree.
/// </summary>
internal static class TransientFailures
{
    /// <summary>
    /// A unary call that may safely run twice (a read) is worth another attempt: the endpoint was unreachable,
    /// had no leader, ran out of time, or the connection broke under the call.
    /// </summary>
    public static bool IsTransient(RpcException exception) =>
        exception.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded || RpcFailure.HasConnectionCause(exception);

    /// <summary>
    /// A stream (watch, lease keep-alive) cannot get past this failure by reconnecting: etcd refused the request
    /// itself (permissions, a bad argument, a message too large, an unsupported call). A broken connection is
    /// never permanent whatever status it maps to, and neither is a token etcd wants renewed.
    /// </summary>
    public static bool IsPermanentStreamFailure(RpcException exception) =>
        exception.StatusCode is StatusCode.PermissionDenied or StatusCode.InvalidArgument or StatusCode.Unauthenticated
            or StatusCode.ResourceExhausted or StatusCode.Unimplemented or StatusCode.FailedPrecondition
        && !RpcFailure.IsTransportFailure(exception)
        && !RpcFailure.NeedsNewToken(exception);

    /// <summary>The failures a stream reports when it breaks, from the transport, gRPC or our own watchdogs.</summary>
    public static bool IsStreamBreak(Exception exception) =>
        exception is RpcException or IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException or TimeoutException;

    /// <summary>The failures a stream's send side reports when the stream under it broke or was closed.</summary>
    public static bool IsSendFailure(Exception exception) =>
        exception is RpcException or IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException;

    /// <summary>Whether any failure (a typed client exception included) is worth another attempt later.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        EtcdCompactedException or EtcdPermissionDeniedException or EtcdAuthenticationException or EtcdLeaseNotFoundException
            or EtcdInvalidArgumentException or EtcdFutureRevisionException => false,
        EtcdUnavailableException or EtcdDeadlineExceededException or EtcdInvalidAuthTokenException => true,
        EtcdException etcd => etcd.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
            || (etcd.InnerException is { } inner && IsTransient(inner)),
        RpcException rpc => IsTransient(rpc),
        OperationCanceledException => false,
        TimeoutException or IOException or HttpRequestException => true,
        _ => false,
    };
}
