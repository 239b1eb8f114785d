using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using Grpc.Core;

namespace EtcdConfiguration.Client.Internal;

/// <summary>
/// Describes gRPC failures: which ones never left, which mean "this endpoint is gone", which ask for a new token.
/// Whether a failure is worth retrying is decided in <see cref="Resilience.TransientFailures"/>.
/// </summary>
internal static class RpcFailure
{
    public const string InvalidAuthToken = "etcdserver: invalid auth token";
    public const string AuthStoreOld = "etcdserver: revision of auth store is old";

    /// <summary>
    /// The request certainly never reached a server: the connection could not be made (refused, unresolvable,
    /// or the TLS handshake failed). Even a write may be retried then.
    /// </summary>
    /// <remarks>
    /// grpc-dotnet reports most connect failures as Unavailable but a failed TLS handshake (such as a server
    /// certificate for another host name) as Internal, so the cause decides, not the status.
    /// </remarks>
    public static bool NeverSent(RpcException exception)
    {
        if (exception.StatusCode is not (StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown))
        {
            return false;
        }

        for (var inner = exception.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError })
            {
                return true;
            }

            if (inner is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.AddressNotAvailable })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The TLS handshake itself was refused: the server's certificate is not trusted or names another host, or
    /// the two sides share no protocol. Trying the same endpoint again gives the same answer; a handshake cut
    /// off by the network (an I/O failure underneath) is not this.
    /// </summary>
    public static bool IsTlsRejection(RpcException exception)
    {
        for (var inner = exception.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException rejection)
            {
                for (var cause = rejection.InnerException; cause is not null; cause = cause.InnerException)
                {
                    if (cause is IOException or SocketException)
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        return false;
    }

    /// <summary>The transport failed (no status came from a server), so the endpoint is suspect.</summary>
    /// <remarks>
    /// grpc-dotnet gives a broken HTTP/2 connection whatever status its error code maps to: a GOAWAY with
    /// ENHANCE_YOUR_CALM, which etcd sends to a client it finds too chatty, arrives as ResourceExhausted. So a
    /// connection-level cause makes any status a transport failure.
    /// </remarks>
    public static bool IsTransportFailure(RpcException exception) =>
        exception.Status.DebugException is not null
        && (exception.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.DeadlineExceeded
            || HasConnectionCause(exception));

    /// <summary>The endpoint should be left for another: it is unreachable, stopped, or has no leader.</summary>
    public static bool ShouldFailOver(RpcException exception) =>
        IsTransportFailure(exception)
        || exception.StatusCode == StatusCode.Unavailable
        || (exception.StatusCode == StatusCode.DeadlineExceeded && exception.Status.DebugException is null);

    /// <summary>The call broke because its HTTP/2 connection did, not because a server refused it.</summary>
    internal static bool HasConnectionCause(RpcException exception)
    {
        for (var inner = exception.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpProtocolException or HttpRequestException or IOException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>etcd asks for a fresh token: the old one expired or the auth store moved on.</summary>
    public static bool NeedsNewToken(RpcException exception) =>
        (exception.StatusCode == StatusCode.Unauthenticated && exception.Status.Detail.Contains(InvalidAuthToken, StringComparison.Ordinal))
        || (exception.StatusCode == StatusCode.InvalidArgument && exception.Status.Detail.Contains(AuthStoreOld, StringComparison.Ordinal));

    /// <summary>The same test for the cancel reason etcd puts in a watch response.</summary>
    public static bool NeedsNewToken(string cancelReason) =>
        cancelReason.Contains(InvalidAuthToken, StringComparison.Ordinal) || cancelReason.Contains(AuthStoreOld, StringComparison.Ordinal);
}
