namespace EtcdConfiguration.Client;

/// <summary>A role, as <see cref="AuthClient.RoleGetAsync"/> returns it.</summary>
/// <param name="Header">The response header.</param>
/// <param name="Permissions">The keys and ranges the role may read or write.</param>
public sealed record AuthRoleGetResponse(ResponseHeader Header, IReadOnlyList<Permission> Permissions);
