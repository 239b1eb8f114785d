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
    public static async Task<TResponse> UnaryAsync<TResponse>(
        EtcdConnection connection,
        EndpointChannel target,
        string operation,
        Func<EndpointChannel, CallOptions, AsyncUnaryCall<TResponse>> call,
        CancellationToken cancellationToken)
    {
        var tokenRefreshed = false;
        while (true)
        {
            var token = connection.Auth.CurrentToken;
            try
            {
                var headers = await connection.Auth.GetHeadersAsync(target, cancellationToken);
                token = connection.Auth.CurrentToken;
                var options = new CallOptions(headers, DateTime.UtcNow + connection.Options.RequestTimeout, cancellationToken);
                var response = await call(target, options).ResponseAsync;
                connection.ReportSuccess(target);
                return response;
            }
            catch (RpcException ex) when (RpcFailure.NeedsNewToken(ex) && !tokenRefreshed)
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
