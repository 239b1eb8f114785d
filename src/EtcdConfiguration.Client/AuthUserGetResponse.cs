namespace EtcdConfiguration.Client;

/// <summary>A user, as <see cref="AuthClient.UserGetAsync"/> returns it.</summary>
/// <param name="Header">The response header.</param>
/// <param name="Roles">The roles granted to the user.</param>
public sealed record AuthUserGetResponse(ResponseHeader Header, IReadOnlyList<string> Roles);
