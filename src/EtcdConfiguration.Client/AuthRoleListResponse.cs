namespace EtcdConfiguration.Client;

/// <summary>Every role, as <see cref="AuthClient.RoleListAsync"/> returns them.</summary>
/// <param name="Header">The response header.</param>
/// <param name="Roles">The role names, sorted.</param>
public sealed record AuthRoleListResponse(ResponseHeader Header, IReadOnlyList<string> Roles);
