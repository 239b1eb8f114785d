using EtcdConfiguration.Client.Internal;

namespace EtcdConfiguration.Client;

/// <summary>
/// Authentication. The client authenticates by itself when <see cref="EtcdClientOptions.Username"/> is set;
/// this call is for checking credentials explicitly.
/// </summary>
public sealed class AuthClient
{
    private readonly EtcdConnection _connection;

    internal AuthClient(EtcdConnection connection) => _connection = connection;

    /// <summary>Checks a user name and password and returns the token etcd issues for them.</summary>
    /// <param name="username">The user.</param>
    /// <param name="password">The password; it never appears in messages or logs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The token and the response header.</returns>
    /// <exception cref="EtcdAuthenticationException">The user name or password is wrong.</exception>
    public async Task<AuthenticateResponse> AuthenticateAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentNullException.ThrowIfNull(password);
        try
        {
            var request = new Wire.AuthenticateRequest { Name = username, Password = password };
            var response = await _connection.UnaryAsync(
                "Auth.Authenticate",
                (channel, options) => channel.Auth.AuthenticateAsync(request, new Grpc.Core.CallOptions(null, options.Deadline, options.CancellationToken)),
                idempotent: true,
                cancellationToken);
            return new AuthenticateResponse(ResponseHeader.From(response.Header), response.Token);
        }
        catch (EtcdAuthenticationException ex)
        {
            throw new EtcdAuthenticationException(
                $"etcd Auth.Authenticate failed: authentication failed for user '{username}': invalid user name or password.",
                ex.Operation,
                ex.Endpoint,
                ex.StatusCode,
                ex.InnerException);
        }
    }
}
