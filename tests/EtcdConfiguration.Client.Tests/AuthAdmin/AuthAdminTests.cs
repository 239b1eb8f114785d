using EtcdConfiguration.Client.Tests.Core;
using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Client.Tests.AuthAdmin;

/// <summary>Users, roles and permissions administered through the client, checked with etcdctl on the same member.</summary>
public sealed class AuthAdminTests
{
    private const string RootPassword = "root-pw-8ce1f0";

    [Fact]
    public async Task Roles_granted_permissions_on_a_key_a_range_and_a_prefix_are_what_etcdctl_shows_and_enforces()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var cluster = await EtcdCluster.StartAsync(cancellationToken: bound.Token);
        await using var root = await EnableAuthAsync(cluster, bound.Token);

        await root.Auth.RoleAddAsync("app", bound.Token);
        Permission[] granted =
        [
            Permission.ForPrefix(PermissionType.ReadWrite, "/app/"),
            Permission.ForRange(PermissionType.Read, "/a", "/c"),
            Permission.ForKey(PermissionType.Write, "/single"),
        ];
        foreach (var permission in granted)
        {
            await root.Auth.RoleGrantPermissionAsync("app", permission, bound.Token);
        }

        var role = await root.Auth.RoleGetAsync("app", bound.Token);
        Assert.Equal(granted.OrderBy(p => p.Key, StringComparer.Ordinal), role.Permissions.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal("/app0", role.Permissions.Single(p => p.Key == "/app/").RangeEnd);
        var shown = await AsRoot(cluster, "role", "get", "app");
        Assert.Contains("[/app/, /app0) (prefix /app/)", shown, StringComparison.Ordinal);
        Assert.Contains("[/a, /c)", shown, StringComparison.Ordinal);
        Assert.Contains("/single", shown, StringComparison.Ordinal);
        Assert.Equal(["app", "root"], (await root.Auth.RoleListAsync(bound.Token)).Roles);
        Assert.Equal(["app", "root"], Lines(await AsRoot(cluster, "role", "list")));

        // etcd enforces what was granted: a user holding the role may write under /app/ and nowhere else.
        await AsRoot(cluster, "user", "add", "--new-user-password=worker-pw-71", "--", "worker");
        await AsRoot(cluster, "user", "grant-role", "--", "worker", "app");
        await using var worker = await Connect(cluster, "worker", "worker-pw-71", bound.Token);
        await worker.KV.PutAsync("/app/ok", "1", cancellationToken: bound.Token);
        await worker.KV.GetAsync("/b", cancellationToken: bound.Token);
        await Assert.ThrowsAsync<EtcdPermissionDeniedException>(() => worker.KV.PutAsync("/b", "1", cancellationToken: bound.Token));

        await root.Auth.RoleRevokePermissionAsync("app", Permission.ForPrefix(PermissionType.Read, "/app/"), bound.Token);
        Assert.DoesNotContain((await root.Auth.RoleGetAsync("app", bound.Token)).Permissions, p => p.Key == "/app/");
        Assert.DoesNotContain("/app/", await AsRoot(cluster, "role", "get", "app"), StringComparison.Ordinal);
        await Assert.ThrowsAsync<EtcdPermissionDeniedException>(() => worker.KV.PutAsync("/app/ok", "2", cancellationToken: bound.Token));

        await root.Auth.RoleDeleteAsync("app", bound.Token);
        Assert.Equal(["root"], Lines(await AsRoot(cluster, "role", "list")));
        var missing = await Assert.ThrowsAsync<EtcdException>(() => root.Auth.RoleGetAsync("app", bound.Token));
        Assert.Contains("role name not found", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_added_granted_and_deleted_through_the_client_are_what_etcdctl_lists()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var cluster = await EtcdCluster.StartAsync(cancellationToken: bound.Token);
        await using var root = await EnableAuthAsync(cluster, bound.Token);
        await root.Auth.RoleAddAsync("readers", bound.Token);
        await root.Auth.RoleGrantPermissionAsync("readers", Permission.ForPrefix(PermissionType.Read, "/ro/"), bound.Token);
        await root.KV.PutAsync("/ro/greeting", "hello", cancellationToken: bound.Token);

        await root.Auth.UserAddAsync("alice", "alice-pw-1", bound.Token);
        await root.Auth.UserGrantRoleAsync("alice", "readers", bound.Token);

        Assert.Equal(["alice", "root"], (await root.Auth.UserListAsync(bound.Token)).Users);
        Assert.Equal(["alice", "root"], Lines(await AsRoot(cluster, "user", "list")));
        Assert.Equal(["readers"], (await root.Auth.UserGetAsync("alice", bound.Token)).Roles);
        Assert.Contains("Roles: readers", await AsRoot(cluster, "user", "get", "alice"), StringComparison.Ordinal);
        await using (var alice = await Connect(cluster, "alice", "alice-pw-1", bound.Token))
        {
            Assert.Equal("hello", Assert.Single((await alice.KV.GetAsync("/ro/greeting", cancellationToken: bound.Token)).Kvs).Value);
        }

        // The new password works for etcdctl and the client; the old one no longer does.
        await root.Auth.UserChangePasswordAsync("alice", "alice-pw-2", bound.Token);
        await cluster.EtcdctlAsync("--user=alice:alice-pw-2", "get", "/ro/greeting");
        await Assert.ThrowsAsync<EtcdAuthenticationException>(() => Connect(cluster, "alice", "alice-pw-1", bound.Token));
        await using (var alice = await Connect(cluster, "alice", "alice-pw-2", bound.Token))
        {
            await root.Auth.UserRevokeRoleAsync("alice", "readers", bound.Token);
            Assert.Empty((await root.Auth.UserGetAsync("alice", bound.Token)).Roles);
            await Assert.ThrowsAsync<EtcdPermissionDeniedException>(() => alice.KV.GetAsync("/ro/greeting", cancellationToken: bound.Token));
        }

        await root.Auth.UserDeleteAsync("alice", bound.Token);
        Assert.Equal(["root"], Lines(await AsRoot(cluster, "user", "list")));
        var gone = await Assert.ThrowsAsync<EtcdException>(() => root.Auth.UserGetAsync("alice", bound.Token));
        Assert.Contains("user name not found", gone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enabling_auth_locks_out_anonymous_calls_until_root_disables_it_again()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var cluster = await EtcdCluster.StartAsync(cancellationToken: bound.Token);
        await using var anonymous = await Connect(cluster, null, null, bound.Token);

        // etcd refuses to enable auth before a root user holds the root role.
        var early = await Assert.ThrowsAsync<EtcdException>(() => anonymous.Auth.AuthEnableAsync(bound.Token));
        Assert.Equal("Auth.AuthEnable", early.Operation);
        Assert.Contains("root user does not exist", early.Message, StringComparison.Ordinal);

        await using var root = await EnableAuthAsync(cluster, bound.Token, anonymous);
        var locked = await Assert.ThrowsAsync<EtcdAuthenticationException>(() => anonymous.KV.GetAsync("/any", cancellationToken: bound.Token));
        Assert.Contains("requires authentication", locked.Message, StringComparison.Ordinal);
        await AsRoot(cluster, "put", "/written-as-root", "1");

        await root.Auth.UserAddAsync("bob", "bob-pw-3", bound.Token);
        await using (var bob = await Connect(cluster, "bob", "bob-pw-3", bound.Token))
        {
            var denied = await Assert.ThrowsAsync<EtcdPermissionDeniedException>(() => bob.Auth.AuthDisableAsync(bound.Token));
            Assert.Contains("user 'bob'", denied.Message, StringComparison.Ordinal);
        }

        await root.Auth.AuthDisableAsync(bound.Token);
        Assert.Single((await anonymous.KV.GetAsync("/written-as-root", cancellationToken: bound.Token)).Kvs);
        await cluster.EtcdctlAsync("put", "/written-anonymously", "1");
    }

    [Fact]
    public async Task Passwords_appear_in_no_message_and_no_log_line_of_the_admin_calls()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var cluster = await EtcdCluster.StartAsync(cancellationToken: bound.Token);
        var logs = new FakeLogCollector();
        await using (await EnableAuthAsync(cluster, bound.Token))
        {
        }

        const string Secret = "s3cret-never-shown-5d1e";
        await using var root = await Connect(cluster, "root", RootPassword, bound.Token, logs);
        await root.Auth.UserAddAsync("carol", Secret, bound.Token);
        await root.Auth.UserChangePasswordAsync("carol", Secret + "-2", bound.Token);

        var failures = new List<Exception>
        {
            await Assert.ThrowsAsync<EtcdException>(() => root.Auth.UserAddAsync("carol", Secret, bound.Token)),
            await Assert.ThrowsAsync<EtcdException>(() => root.Auth.UserChangePasswordAsync("nobody", Secret, bound.Token)),
            await Assert.ThrowsAsync<EtcdAuthenticationException>(() => Connect(cluster, "carol", Secret, bound.Token, logs)),
            await Assert.ThrowsAsync<ArgumentException>(() => root.Auth.UserAddAsync(string.Empty, Secret, bound.Token)),
        };
        await using (var carol = await Connect(cluster, "carol", Secret + "-2", bound.Token, logs))
        {
            failures.Add(await Assert.ThrowsAsync<EtcdPermissionDeniedException>(() => carol.Auth.UserChangePasswordAsync("root", Secret, bound.Token)));
        }

        Assert.Contains("user name already exists", failures[0].Message, StringComparison.Ordinal);
        Assert.Contains("user name not found", failures[1].Message, StringComparison.Ordinal);
        Assert.Contains("'carol'", failures[2].Message, StringComparison.Ordinal);
        Assert.NotEmpty(logs.Lines);
        foreach (var text in failures.Select(f => f.ToString()).Concat(logs.Lines))
        {
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(RootPassword, text, StringComparison.Ordinal);
        }
    }

    /// <summary>Creates root with the root role and enables auth through the client; returns a client logged in as root.</summary>
    private static async Task<EtcdClient> EnableAuthAsync(EtcdCluster cluster, CancellationToken cancellationToken, EtcdClient? anonymous = null)
    {
        var admin = anonymous ?? await Connect(cluster, null, null, cancellationToken);
        try
        {
            // As etcdctl auth enable does: etcd needs no root role to grant it, but lists it only once added.
            await admin.Auth.RoleAddAsync("root", cancellationToken);
            await admin.Auth.UserAddAsync("root", RootPassword, cancellationToken);
            await admin.Auth.UserGrantRoleAsync("root", "root", cancellationToken);
            await admin.Auth.AuthEnableAsync(cancellationToken);
        }
        finally
        {
            if (anonymous is null)
            {
                await admin.DisposeAsync();
            }
        }

        return await Connect(cluster, "root", RootPassword, cancellationToken);
    }

    /// <summary>etcdctl as root: the test kit knows the root password only when it enabled auth itself.</summary>
    private static Task<string> AsRoot(EtcdCluster cluster, params string[] args) => cluster.EtcdctlAsync(["--user=root:" + RootPassword, .. args]);

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Task<EtcdClient> Connect(EtcdCluster cluster, string? user, string? password, CancellationToken cancellationToken, FakeLogCollector? logs = null) =>
        EtcdClient.ConnectAsync(
            new EtcdClientOptions
            {
                Endpoints = [.. cluster.ClientUrls],
                Username = user,
                Password = password,
                DialTimeout = TimeSpan.FromSeconds(30),
                LoggerFactory = logs?.CreateFactory(),
            },
            cancellationToken);
}
