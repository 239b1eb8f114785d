using Grpc.Core;

namespace EtcdConfiguration.Client.Internal;

/// <summary>
/// Calls addressed to one particular member (its status, defragmentation, hash, snapshot, a leader transfer):
/// they go to that endpoint only, never fail over and are not retried, since another member's answer would
/// be an answer to another question. A rejected token is renewed once, as for every other call.
/// </summary>
internal static class EndpointCalls
{
    /// <summary>The client's channel for <paramref name="endpoint"/>, compared as the client normalised it.</summary>
    /// <exception cref="ArgumentException">The endpoint is not one of the client's.</exception>
    public static EndpointChannel Find(EtcdConnection connection, string endpoint, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint, paramName);
        return connection.Endpoints.FirstOrDefault(e => string.Equals(e.Address, endpoint.Trim().TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"'{endpoint}' is not one of this client's endpoints ({connection.EndpointList}).", paramName);
    }

    /// <summary>Runs one unary call on <paramref name="target"/> with the request timeout; failures come out typed.</summary>
    public static Task<TResponse> UnaryAsync<TResponse>(
        EtcdConnection connection,
        EndpointChannel target,
        string operation,
        Func<EndpointChannel, CallOptions, AsyncUnaryCall<TResponse>> call,
        CancellationToken cancellationToken) =>
        RunAsync(
            connection,
            target,
            operation,
            options => call(target, options.WithDeadline(DateTime.UtcNow + connection.Options.RequestTimeout)).ResponseAsync,
            mayRenewToken: static () => true,
            cancellationToken);

    /// <summary>
    /// Runs one exchange with <paramref name="target"/> (a unary call, or a stream read to its end): with the current
    /// token, once more with a new one when etcd rejects it and <paramref name="mayRenewToken"/> (nothing of the
    /// first attempt was used yet), and never on another member. Failures come out typed.
    /// </summary>
    public static async Task<T> RunAsync<T>(
        EtcdConnection connection,
        EndpointChannel target,
        string operation,
        Func<CallOptions, Task<T>> attempt,
        Func<bool> mayRenewToken,
        CancellationToken cancellationToken)
    {
        var tokenRefreshed = false;
        while (true)
        {
            var token = connection.Auth.CurrentToken;
            try
            {
                var options = await connection.CreateCallOptionsAsync(target, requireLeader: false, cancellationToken);
                token = connection.Auth.CurrentToken;
                var result = await attempt(options);
                connection.ReportSuccess(target);
                return result;
            }
            catch (RpcException ex) when (RpcFailure.NeedsNewToken(ex) && !tokenRefreshed && mayRenewToken())
            {
                tokenRefreshed = true;
                connection.Auth.Invalidate(token);
            }
            catch (RpcException ex) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException($"etcd {operation} on {target.Address} was canceled.", ex, cancellationToken);
            }
            catch (RpcException ex)
            {
                throw Translate(connection, ex, operation, target);
            }
        }
    }

    public static EtcdException Translate(EtcdConnection connection, RpcException exception, string operation, EndpointChannel target) =>
        EtcdErrorTranslator.Translate(exception, operation, target.Address, connection.Auth.Username);
}
