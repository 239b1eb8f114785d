using EtcdConfiguration.Client;

namespace AdminTour;

/// <summary>
/// An operator's tour against a running etcd with auth disabled: maintenance (status, alarms, hashes,
/// defragmentation, snapshot), membership (a learner added and removed) and auth administration (root, a role
/// with a prefix permission, a user, auth enabled and disabled). Every change is undone. The README quotes the
/// regions between <c>// snippet:</c> markers verbatim, and a test checks that.
/// </summary>
public static class Tour
{
    /// <summary>Runs every section in order, writing what each one sees to <paramref name="output"/>.</summary>
    /// <param name="endpoints">Comma-separated etcd URLs.</param>
    /// <param name="output">Where the tour reports.</param>
    public static async Task RunAsync(string endpoints, TextWriter output)
    {
        var options = new EtcdClientOptions { Endpoints = EtcdClient.SplitEndpoints(endpoints), DialTimeout = TimeSpan.FromSeconds(5) };
        await using var client = await EtcdClient.ConnectAsync(options);
        await MaintenanceAsync(client, output);
        await ClusterAsync(client, output);
        await AuthAsync(client, options, output);
    }

    private static async Task MaintenanceAsync(EtcdClient client, TextWriter output)
    {
        // snippet: maintenance
        // Every endpoint's status at once; a member that does not answer gives its error instead.
        foreach (var endpoint in await client.Maintenance.StatusAllAsync())
        {
            output.WriteLine(endpoint.Status is { } s
                ? $"{endpoint.Endpoint}: etcd {s.Version}, {s.DbSize} bytes, leader {(s.Leader == s.Header.MemberId ? "yes" : "no")}"
                : $"{endpoint.Endpoint}: {endpoint.Error!.Message}");
        }

        var alarms = await client.Maintenance.AlarmListAsync();
        output.WriteLine($"alarms: {(alarms.Alarms.Count == 0 ? "none" : string.Join(", ", alarms.Alarms))}");

        foreach (var endpoint in client.Endpoints)
        {
            // Members with the same hash at the same revision hold the same data.
            var hash = await client.Maintenance.HashKVAsync(endpoint);
            output.WriteLine($"{endpoint}: hash {hash.Hash:x8} at revision {hash.Header.Revision}");

            // Give the space freed by compaction back to the file system, one member at a time.
            await client.Maintenance.DefragmentAsync(endpoint);
        }

        // A snapshot streams into any Stream; etcdctl snapshot restore reads the file.
        await using var snapshot = File.Create(Path.Combine(Path.GetTempPath(), "etcd-backup.db"));
        var bytes = await client.Maintenance.SnapshotAsync(snapshot);
        output.WriteLine($"snapshot: {bytes} bytes");
        // end snippet
    }

    private static async Task ClusterAsync(EtcdClient client, TextWriter output)
    {
        // snippet: cluster
        // A learner receives the log without voting; start its etcd with --initial-cluster-state existing,
        // then promote it once it has caught up (MemberPromoteAsync). This one never starts, so remove it.
        var added = await client.Cluster.MemberAddAsLearnerAsync(["http://127.0.0.1:23800"]);
        output.WriteLine($"added learner {added.Member.Id:x}; members: {added.Members.Count}");

        foreach (var member in (await client.Cluster.MemberListAsync()).Members)
        {
            var name = member.Name.Length > 0 ? member.Name : "(not started)";
            output.WriteLine($"member {name}: {string.Join(", ", member.PeerUrls)}{(member.IsLearner ? " learner" : string.Empty)}");
        }

        var remaining = await client.Cluster.MemberRemoveAsync(added.Member.Id);
        output.WriteLine($"removed learner; members: {remaining.Members.Count}");
        // end snippet
    }

    private static async Task AuthAsync(EtcdClient client, EtcdClientOptions options, TextWriter output)
    {
        // snippet: auth
        // etcd enables auth only when a root user holds the root role.
        await client.Auth.RoleAddAsync("root");
        await client.Auth.UserAddAsync("root", "root-password");
        await client.Auth.UserGrantRoleAsync("root", "root");

        // A role that may read and write every key under /app/, and a user holding it.
        await client.Auth.RoleAddAsync("app");
        await client.Auth.RoleGrantPermissionAsync("app", Permission.ForPrefix(PermissionType.ReadWrite, "/app/"));
        await client.Auth.UserAddAsync("app-user", "app-password");
        await client.Auth.UserGrantRoleAsync("app-user", "app");
        await client.Auth.AuthEnableAsync();

        // From now on every call needs a user: connect as one.
        await using (var app = await EtcdClient.ConnectAsync(new EtcdClientOptions
        {
            Endpoints = options.Endpoints,
            Username = "app-user",
            Password = "app-password",
        }))
        {
            await app.KV.PutAsync("/app/greeting", "hello");
            try
            {
                await app.KV.PutAsync("/other", "no");
            }
            catch (EtcdPermissionDeniedException ex)
            {
                output.WriteLine($"denied: {ex.Message}");
            }
        }

        await using var root = await EtcdClient.ConnectAsync(new EtcdClientOptions
        {
            Endpoints = options.Endpoints,
            Username = "root",
            Password = "root-password",
        });
        var role = await root.Auth.RoleGetAsync("app");
        output.WriteLine($"role app: {string.Join(", ", role.Permissions)}");
        output.WriteLine($"users: {string.Join(", ", (await root.Auth.UserListAsync()).Users)}");

        // Undo it all: auth off first, then the users and roles.
        await root.Auth.AuthDisableAsync();
        await client.Auth.UserDeleteAsync("app-user");
        await client.Auth.RoleDeleteAsync("app");
        await client.Auth.UserDeleteAsync("root");
        await client.Auth.RoleDeleteAsync("root");
        // end snippet
    }
}
