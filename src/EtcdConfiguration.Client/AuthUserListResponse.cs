namespace EtcdConfiguration.Client;

/// <summary>Every user, as <see cref="AuthClient.UserListAsync"/> returns them.</summary>
/// <param name="Header">The response header.</param>
/// <param name="Users">The user names, sorted.</param>
public sealed record AuthUserListResponse(ResponseHeader Header, IReadOnlyList<string> Users);
