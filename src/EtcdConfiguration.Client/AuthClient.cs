using EtcdConfiguration.Client.Internal;

namespace EtcdConfiguration.Client;

/// <summary>
/// Authentication and its administration, as Go's <c>clientv3.Auth</c> offers them: enabling and disabling
/// auth, users, roles and their permissions. The client authenticates by itself when
/// <see cref="EtcdClientOptions.Username"/> is set; <see cref="AuthenticateAsync"/> checks credentials explicitly.
/// </summary>
/// <remarks>
/// Once auth is enabled, only the <c>root</c> role may administer it. Reads (get, list) are retried on transient
/// failures; changes only when the request certainly never reached a server, since one that may have been
/// applied is not sent twice. Passwords never appear in messages or logs.
/// </remarks>
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
    /// <summary>
    /// Turns authentication on (<c>etcdctl auth enable</c>). The <c>root</c> user must exist and hold the
    /// <c>root</c> role; from then on every call needs a user (set <see cref="EtcdClientOptions.Username"/>).
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response header.</returns>
    /// <exception cref="EtcdException">etcd refused (typed subclasses say why), such as when there is no root user with the root role.</exception>
    public async Task<ResponseHeader> AuthEnableAsync(CancellationToken cancellationToken = default)
    {
        var response = await _connection.UnaryAsync(
            "Auth.AuthEnable",
            static (channel, options) => channel.Auth.AuthEnableAsync(new Wire.AuthEnableRequest(), options),
            idempotent: false,
            cancellationToken);
        return ResponseHeader.From(response.Header);
    }

    /// <summary>Turns authentication off (<c>etcdctl auth disable</c>); only root may.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response header.</returns>
    /// <exception cref="EtcdPermissionDeniedException">The client's user is not root.</exception>
    public async Task<ResponseHeader> AuthDisableAsync(CancellationToken cancellationToken = default)
    {
        var response = await _connection.UnaryAsync(
            "Auth.AuthDisable",
            static (channel, options) => channel.Auth.AuthDisableAsync(new Wire.AuthDisableRequest(), options),
            idempotent: false,
            cancellationToken);
        return ResponseHeader.From(response.Header);
    }

    /// <summary>Adds a user with a password (<c>etcdctl user add</c>).</summary>
    /// <param name="name">The user's name.</param>
    /// <param name="password">The password; it never appears in messages or logs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response header.</returns>
    /// <exception cref="EtcdException">etcd refused (typed subclasses say why), such as when the user exists.</exception>
    public async Task<ResponseHeader> UserAddAsync(string name, string password, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(password);
        var request = new Wire.AuthUserAddRequest { Name = name, Password = password };
        var response = await _connection.UnaryAsync(
            "Auth.UserAdd",
            (channel, options) => channel.Auth.UserAddAsync(request, options),
            idempotent: false,
            cancellationToken);
        return ResponseHeader.From(response.Header);
    }

    /// <summary>Reads a user's roles (<c>etcdctl user get</c>).</summary>
    /// <param name="name">The user's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The roles granted to the user.</returns>
    /// <exception cref="EtcdException">etcd refused (typed subclasses say why), such as when there is no such user.</exception>
    public async Task<AuthUserGetResponse> UserGetAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var request = new Wire.AuthUserGetRequest { Name = name };
        var response = await _connection.UnaryAsync(
            "Auth.UserGet",
            (channel, options) => channel.Auth.UserGetAsync(request, options),
            idempotent: true,
            cancellationToken);
        return new AuthUserGetResponse(ResponseHeader.From(response.Header), response.Roles.ToArray());
    }

    /// <summary>Lists every user (<c>etcdctl user list</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The user names.</returns>
    public async Task<AuthUserListResponse> UserListAsync(CancellationToken cancellationToken = default)
    {
        var response = await _connection.UnaryAsync(
            "Auth.UserList",
            static (channel, options) => channel.Auth.UserListAsync(new Wire.AuthUserListRequest(), options),
            idempotent: true,
            cancellationToken);
        return new AuthUserListResponse(ResponseHeader.From(response.Header), response.Users.ToArray());
    }

    /// <summary>Deletes a user (<c>etcdctl user delete</c>).</summary>
    /// <param name="name">The user's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response header.</returns>
    /// <exception cref="EtcdException">etcd refused (typed subclasses say why), such as when there is no such user.</exception>
    public async Task<ResponseHeader> UserDeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var request = new Wire.AuthUserDeleteRequest { Name = name };
        var response = await _connection.UnaryAsync(
            "Auth.UserDelete",
            (channel, options) => channel.Auth.UserDeleteAsync(request, options),
            idempotent: false,
            cancellationToken);
        return ResponseHeader.From(response.Header);
    }

    /// <summary>Sets a user's password (<c>etcdctl user passwd</c>); the user's existing tokens stay valid until they expire.</summary>
    /// <param name="name">The user's name.</param>
    /// <param name="password">The new password; it never appears in messages or logs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response header.</returns>
    /// <exception cref="EtcdException">etcd refused (typed subclasses say why), such as when there is no such user.</exception>
    public async Task<ResponseHeader> UserChangePasswordAsync(string name, string password, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(password);
        var request = new Wire.AuthUserChangePasswordRequest { Name = name, Password = password };
        var response = await _connection.UnaryAsync(
            "Auth.UserChangePassword",
            (channel, options) => channel.Auth.UserChangePasswordAsync(request, options),
            idempotent: false,
            cancellationToken);
        return ResponseHeader.From(response.Header);
    }

    /// <summary>Grants a role to a user (<c>etcdctl user grant-role</c>).</summary>
    /// <param name="user">The user's name.</param>
    /// <param name="role">The role's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response header.</returns>
    /// <exception cref="EtcdException">etcd refused (typed subclasses say why), such as when the user or role does not exist.</exception>
    public async Task<ResponseHeader> UserGrantRoleAsync(string user, string role, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentException.ThrowIfNullOrEmpty(role);
        var request = new Wire.AuthUserGrantRoleRequest { User = user, Role = role };
        var response = await _connection.UnaryAsync(
            "Auth.UserGrantRole",
            (channel, options) => channel.Auth.UserGrantRoleAsync(request, options),
            idempotent: false,
            cancellationToken);
        return ResponseHeader.From(response.Header);
    }

    /// <summary>Revokes a role from a user (<c>etcdctl user revoke-role</c>).</summary>
    /// <param name="user">The user's name.</param>
    /// <param name="role">The role's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response header.</returns>
    /// <exception cref="EtcdException">etcd refused (typed subclasses say why), such as when the user does not hold the role.</exception>
    public async Task<ResponseHeader> UserRevokeRoleAsync(string user, string role, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentException.ThrowIfNullOrEmpty(role);
        var request = new Wire.AuthUserRevokeRoleRequest { Name = user, Role = role };
        var response = await _connection.UnaryAsync(
            "Auth.UserRevokeRole",
            (channel, options) => channel.Auth.UserRevokeRoleAsync(request, options),
            idempotent: false,
            cancellationToken);
        return ResponseHeader.From(response.Header);
    }

    /// <summary>Adds a role without permissions (<c>etcdctl role add</c>).</summary>
    /// <param name="name">The role's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response header.</returns>
    /// <exception cref="EtcdException">etcd refused (typed subclasses say why), such as when the role exists.</exception>
    public async Task<ResponseHeader> RoleAddAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var request = new Wire.AuthRoleAddRequest { Name = name };
        var response = await _connection.UnaryAsync(
            "Auth.RoleAdd",
            (channel, options) => channel.Auth.RoleAddAsync(request, options),
            idempotent: false,
            cancellationToken);
        return ResponseHeader.From(response.Header);
    }

    /// <summary>Reads a role's permissions (<c>etcdctl role get</c>).</summary>
    /// <param name="name">The role's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The role's permissions.</returns>
    /// <exception cref="EtcdException">etcd refused (typed subclasses say why), such as when there is no such role.</exception>
    public async Task<AuthRoleGetResponse> RoleGetAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var request = new Wire.AuthRoleGetRequest { Role = name };
        var response = await _connection.UnaryAsync(
            "Auth.RoleGet",
            (channel, options) => channel.Auth.RoleGetAsync(request, options),
            idempotent: true,
            cancellationToken);
        return new AuthRoleGetResponse(ResponseHeader.From(response.Header), response.Perm.Select(Permission.From).ToArray());
    }

    /// <summary>Lists every role (<c>etcdctl role list</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The role names.</returns>
    public async Task<AuthRoleListResponse> RoleListAsync(CancellationToken cancellationToken = default)
    {
        var response = await _connection.UnaryAsync(
            "Auth.RoleList",
            static (channel, options) => channel.Auth.RoleListAsync(new Wire.AuthRoleListRequest(), options),
            idempotent: true,
            cancellationToken);
        return new AuthRoleListResponse(ResponseHeader.From(response.Header), response.Roles.ToArray());
    }

    /// <summary>Deletes a role (<c>etcdctl role delete</c>); users that held it lose it.</summary>
    /// <param name="name">The role's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response header.</returns>
    /// <exception cref="EtcdException">etcd refused (typed subclasses say why), such as when there is no such role.</exception>
    public async Task<ResponseHeader> RoleDeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var request = new Wire.AuthRoleDeleteRequest { Role = name };
        var response = await _connection.UnaryAsync(
            "Auth.RoleDelete",
            (channel, options) => channel.Auth.RoleDeleteAsync(request, options),
            idempotent: false,
            cancellationToken);
        return ResponseHeader.From(response.Header);
    }

    /// <summary>Grants a role a permission on a key, prefix or range (<c>etcdctl role grant-permission</c>).</summary>
    /// <param name="role">The role's name.</param>
    /// <param name="permission">What the role may do, on which keys (<see cref="Permission.ForPrefix"/>, ...).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response header.</returns>
    /// <exception cref="EtcdException">etcd refused (typed subclasses say why), such as when there is no such role.</exception>
    public async Task<ResponseHeader> RoleGrantPermissionAsync(string role, Permission permission, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        ArgumentNullException.ThrowIfNull(permission);
        var request = new Wire.AuthRoleGrantPermissionRequest { Name = role, Perm = permission.ToWire() };
        var response = await _connection.UnaryAsync(
            "Auth.RoleGrantPermission",
            (channel, options) => channel.Auth.RoleGrantPermissionAsync(request, options),
            idempotent: false,
            cancellationToken);
        return ResponseHeader.From(response.Header);
    }

    /// <summary>
    /// Revokes a role's permission on the key or range of <paramref name="permission"/> (<c>etcdctl role
    /// revoke-permission</c>); its <see cref="Permission.Type"/> does not matter, the keys must match exactly.
    /// </summary>
    /// <param name="role">The role's name.</param>
    /// <param name="permission">The key, prefix or range to revoke.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response header.</returns>
    /// <exception cref="EtcdException">etcd refused (typed subclasses say why), such as when the role holds no such permission.</exception>
    public async Task<ResponseHeader> RoleRevokePermissionAsync(string role, Permission permission, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        ArgumentNullException.ThrowIfNull(permission);
        var wire = permission.ToWire();
        var request = new Wire.AuthRoleRevokePermissionRequest { Role = role, Key = wire.Key, RangeEnd = wire.RangeEnd };
        var response = await _connection.UnaryAsync(
            "Auth.RoleRevokePermission",
            (channel, options) => channel.Auth.RoleRevokePermissionAsync(request, options),
            idempotent: false,
            cancellationToken);
        return ResponseHeader.From(response.Header);
    }
}
