using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Client.Internal;

/// <summary>One call's attempts: which endpoint each went to, and the token refresh it may spend once.</summary>
internal sealed class UnaryAttempt<TResponse>(
    EtcdConnection connection,
    string operation,
    Func<EndpointChannel, CallOptions, Task<TResponse>> call,
    bool requireLeader)
{
    private readonly HashSet<EndpointChannel> _tlsRejected = [];
    private bool _tokenRefreshed;

    public EndpointChannel? Endpoint { get; private set; }

    /// <summary>The failure of the last attempt that got one, for the message when the dial timeout ends the call.</summary>
    public RpcException? LastFailure { get; private set; }

    /// <summary>Every endpoint refused this call's TLS handshake (an untrusted or misnamed server certificate).</summary>
    public bool EveryEndpointRejectedTls => _tlsRejected.Count == connection.Endpoints.Count;

    public async Task<TResponse> RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var endpoint = connection.Current;
            Endpoint = endpoint;
            var token = connection.Auth.CurrentToken;
            try
            {
                var options = await connection.CreateCallOptionsAsync(endpoint, requireLeader, cancellationToken);
                token = connection.Auth.CurrentToken;
                var response = await call(endpoint, options.WithDeadline(DateTime.UtcNow + connection.Options.RequestTimeout));
                connection.ReportSuccess(endpoint);
                return response;
            }
            catch (RpcException ex) when (RpcFailure.NeedsNewToken(ex) && !_tokenRefreshed)
            {
                _tokenRefreshed = true;
                connection.Auth.Invalidate(token);
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                LastFailure = ex;
                if (RpcFailure.IsTlsRejection(ex))
                {
                    _tlsRejected.Add(endpoint);
                }

                if (ex.Status.DebugException is null)
                {
                    connection.ReportSuccess(endpoint);
                }

                if (RpcFailure.ShouldFailOver(ex))
                {
                    connection.ReportFailure(endpoint, ex);
                }

                connection.Logger.LogDebug("etcd {Operation} on {Endpoint} failed: {Reason}", operation, endpoint.Address, FailureText.Describe(ex));
                throw;
            }
        }
    }
}
