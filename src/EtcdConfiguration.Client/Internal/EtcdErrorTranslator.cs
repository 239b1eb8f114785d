using Grpc.Core;

namespace EtcdConfiguration.Client.Internal;

/// <summary>
/// Turns a gRPC failure into the typed <see cref="EtcdException"/> a caller can handle, with a message that
/// names the operation, the endpoint and the user, and never a password, token or value.
/// </summary>
internal static class EtcdErrorTranslator
{
    public static EtcdException Translate(RpcException exception, string operation, string? endpoint, string? username, long leaseId = 0, string? hint = null)
    {
        var detail = exception.Status.Detail;
        var where = endpoint is null ? string.Empty : $" on {endpoint}";
        // Whole sentences with the status code and the transport's own words, never gRPC's debug dump.
        var cause = exception.Status.DebugException is { } debug
            ? $"{detail.TrimEnd('.', ' ')} (status {exception.StatusCode}: {FailureText.DescribeChain(debug)})"
            : $"{detail.TrimEnd('.', ' ')} (status {exception.StatusCode})";
        var message = $"etcd {operation}{where} failed: {FailureText.EndSentence(cause)}{hint}";
        var code = exception.StatusCode;

        if (detail.Contains("required revision has been compacted", StringComparison.Ordinal))
        {
            return new EtcdCompactedException(message, 0, operation, endpoint, exception);
        }

        if (detail.Contains("required revision is a future revision", StringComparison.Ordinal))
        {
            return new EtcdFutureRevisionException(message, operation, endpoint, code, exception);
        }

        if (detail.Contains("requested lease not found", StringComparison.Ordinal))
        {
            var lease = leaseId == 0 ? string.Empty : $" (lease {leaseId:x})";
            return new EtcdLeaseNotFoundException(message + lease, leaseId, operation, endpoint, exception);
        }

        if (detail.Contains("authentication failed", StringComparison.Ordinal))
        {
            return new EtcdAuthenticationException(
                $"etcd {operation}{where} failed: authentication failed for user '{username}': invalid user name or password.",
                operation, endpoint, code, exception);
        }

        if (detail.Contains("user name is empty", StringComparison.Ordinal))
        {
            return new EtcdAuthenticationException(
                $"etcd {operation}{where} failed: etcd requires authentication and no Username is configured.",
                operation, endpoint, code, exception);
        }

        if (RpcFailure.NeedsNewToken(exception))
        {
            return new EtcdInvalidAuthTokenException(
                $"etcd {operation}{where} failed: the authentication token for user '{username}' was rejected ({detail}).",
                operation, endpoint, code, exception);
        }

        if (RpcFailure.NeverSent(exception))
        {
            return new EtcdUnavailableException(message, operation, endpoint, StatusCode.Unavailable, exception);
        }

        return code switch
        {
            StatusCode.PermissionDenied => new EtcdPermissionDeniedException(
                $"etcd {operation}{where} failed: user '{username ?? "(none)"}' lacks permission ({detail}).",
                operation, endpoint, code, exception),
            StatusCode.Unauthenticated => new EtcdAuthenticationException(message, operation, endpoint, code, exception),
            StatusCode.Unavailable => new EtcdUnavailableException(message, operation, endpoint, code, exception),
            StatusCode.DeadlineExceeded => new EtcdDeadlineExceededException(message, operation, endpoint, code, exception),
            StatusCode.InvalidArgument => new EtcdInvalidArgumentException(message, operation, endpoint, code, exception),
            _ => new EtcdException(message, operation, endpoint, code, exception),
        };
    }
}
