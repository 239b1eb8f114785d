namespace EtcdConfiguration.Client;

/// <summary>The result of <see cref="AuthClient.AuthenticateAsync"/>.</summary>
/// <param name="Header">The response header.</param>
/// <param name="Token">The token to send as <c>token</c> metadata. Treat it as a secret.</param>
public sealed record AuthenticateResponse(ResponseHeader Header, string Token)
{
    /// <summary>Shows the header only: the token is a secret.</summary>
    /// <returns>A description without the token.</returns>
    public override string ToString() => $"AuthenticateResponse {{ Header = {Header}, Token = *** }}";
}
