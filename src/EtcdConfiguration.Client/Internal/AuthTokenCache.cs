using Grpc.Core;
using Microsoft.Extensions.Logging;
using Wire = EtcdConfiguration.Client.Wire;

namespace EtcdConfiguration.Client.Internal;

/// <summary>
/// Holds the authentication token for the configured user: fetched on first need, shared by every call and
/// stream, and replaced when etcd rejects it. The password stays here and is never logged.
/// </summary>
internal sealed class AuthTokenCache(string? username, string? password, TimeSpan requestTimeout, ILogger logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile string? _token;

    public string? Username { get; } = username;

    public bool Enabled => Username is not null;

    /// <summary>The headers a call needs: the token when authentication is on, nothing otherwise.</summary>
    public async ValueTask<Metadata?> GetHeadersAsync(EndpointChannel endpoint, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return null;
        }

        var token = _token ?? await AuthenticateAsync(endpoint, cancellationToken);
        return new Metadata { { "token", token } };
    }

    /// <summary>The token sent last, so a rejection can invalidate exactly that one.</summary>
    public string? CurrentToken => _token;

    /// <summary>Forgets a rejected token; the next call authenticates again.</summary>
    public void Invalidate(string? rejected)
    {
        if (rejected is not null && Interlocked.CompareExchange(ref _token, null, rejected) == rejected)
        {
            logger.LogInformation("etcd rejected the authentication token of user '{User}'; authenticating again.", Username);
        }
    }

    private async ValueTask<string> AuthenticateAsync(EndpointChannel endpoint, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token is { } fresh)
            {
                return fresh;
            }

            var response = await endpoint.Auth.AuthenticateAsync(
                new Wire.AuthenticateRequest { Name = Username, Password = password ?? string.Empty },
                deadline: DateTime.UtcNow + requestTimeout,
                cancellationToken: cancellationToken);
            logger.LogDebug("Authenticated as user '{User}' on {Endpoint}.", Username, endpoint.Address);
            _token = response.Token;
            return response.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
