using System.Globalization;
using System.Text;
using System.Text.Json;
using EtcdConfiguration.Testing.Internal;

namespace EtcdConfiguration.Testing;

/// <summary>
/// Real etcd members started as child processes on free loopback ports, with data on tmpfs, for one test.
/// Dispose it to kill every member and delete its data and certificates.
/// </summary>
public sealed class EtcdCluster : IAsyncDisposable
{
    private const int StartAttempts = 3;
    private readonly EtcdClusterOptions _options;
    private readonly string _directory;
    private readonly List<int> _ports;
    private readonly string _token;
    private readonly Lock _membersLock = new();
    private volatile EtcdMember[] _members;
    private string? _rootPassword;
    private int _disposed;

    private EtcdCluster(EtcdClusterOptions options, string directory, int[] ports, string token, IReadOnlyList<EtcdMember> members, EtcdCertificates? certificates)
    {
        _options = options;
        _directory = directory;
        _ports = [.. ports];
        _token = token;
        _members = [.. members];
        Certificates = certificates;
    }

    /// <summary>The members, in start order (named m0, m1, ...), including those that joined later.</summary>
    public IReadOnlyList<EtcdMember> Members => _members;

    /// <summary>Every member's client URL, e.g. <c>http://127.0.0.1:41234</c> (https with TLS).</summary>
    public IReadOnlyList<string> ClientUrls => _members.Select(m => m.ClientUrl).ToArray();

    /// <summary><see cref="ClientUrls"/> joined with commas.</summary>
    public string Endpoints => string.Join(',', ClientUrls);

    /// <summary>The generated certificates when the cluster serves TLS, otherwise null.</summary>
    public EtcdCertificates? Certificates { get; }

    /// <summary>The root password after <see cref="EnableAuthAsync"/>, otherwise null.</summary>
    public string? RootPassword => _rootPassword;

    /// <summary>The directory holding the members' data and the certificates; deleted on dispose.</summary>
    internal string Directory => _directory;

    /// <summary>
    /// Starts the members and waits until every one is healthy and a leader is elected. A start that loses a port
    /// to another process ("address already in use") is retried on fresh ports.
    /// </summary>
    /// <exception cref="InvalidOperationException">etcd is missing, or a member exited during start (with its log).</exception>
    /// <exception cref="TimeoutException">The members were not healthy within <see cref="EtcdClusterOptions.StartTimeout"/>.</exception>
    public static async Task<EtcdCluster> StartAsync(EtcdClusterOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EtcdClusterOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Members, 1, nameof(options));
        _ = EtcdBinaries.Etcd;
        _ = EtcdBinaries.Setpriv;

        for (var attempt = 1; ; attempt++)
        {
            var cluster = Create(options);
            try
            {
                await Task.WhenAll(cluster.Members.Select(m => m.StartProcessAsync()));
                await cluster.WaitHealthyAsync(cancellationToken);
                return cluster;
            }
            catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
            {
                // Disposing waits until every member has exited and its output is read to the end, where etcd says why.
                await cluster.DisposeAsync();
                var portTaken = cluster.Members.Any(m => m.LostPortOnLastStart);
                if (!portTaken || attempt == StartAttempts)
                {
                    throw;
                }
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>
    /// Runs etcdctl (API v3) against every running, unpaused member, adding <c>--endpoints</c>, timeouts, the TLS
    /// files and, once auth is enabled, <c>--user=root:...</c>. An <c>--endpoints=</c> or <c>--user=</c> in
    /// <paramref name="args"/> replaces the default one. Returns standard output.
    /// </summary>
    /// <exception cref="EtcdctlException">etcdctl failed (the message holds its stderr) or ran longer than 30 s.</exception>
    public Task<string> EtcdctlAsync(params string[] args) => EtcdctlWithInputAsync(null, args);

    /// <summary>Like <see cref="EtcdctlAsync"/>, writing <paramref name="stdin"/> to etcdctl's standard input.</summary>
    /// <remarks>
    /// Not an <c>EtcdctlAsync</c> overload: C# would prefer <c>(string?, params string[])</c> for every call
    /// with string arguments and silently take the first one as input.
    /// </remarks>
    public Task<string> EtcdctlWithInputAsync(string? stdin, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var endpoints = Members.Where(m => m.IsRunning && !m.IsPaused).Select(m => m.ClientUrl).ToList();
        if (endpoints.Count == 0 && !HasFlag(args, "--endpoints"))
        {
            throw new InvalidOperationException("No etcd member is running and unpaused; etcdctl has nothing to talk to.");
        }

        return EtcdctlRunner.RunAsync(stdin, [.. GlobalFlags(endpoints, args), .. args]);
    }

    /// <summary>Writes <paramref name="value"/> at <paramref name="key"/> through etcdctl.</summary>
    public Task PutAsync(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return EtcdctlAsync("put", "--", key, value);
    }

    /// <summary>Reads <paramref name="key"/> through etcdctl (linearizable); null when it does not exist.</summary>
    public async Task<string?> GetAsync(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var json = JsonDocument.Parse(await EtcdctlAsync("get", "-w", "json", "--", key));
        if (!json.RootElement.TryGetProperty("kvs", out var kvs) || kvs.GetArrayLength() == 0)
        {
            return null;
        }

        return kvs[0].TryGetProperty("value", out var value)
            ? Encoding.UTF8.GetString(value.GetBytesFromBase64())
            : string.Empty;
    }

    /// <summary>The cluster's current revision.</summary>
    public async Task<long> GetRevisionAsync()
    {
        using var json = JsonDocument.Parse(await EtcdctlAsync("get", "-w", "json", "--", "etcd-testing/revision"));
        return json.RootElement.GetProperty("header").GetProperty("revision").GetInt64();
    }

    /// <summary>Compacts (physically) at <paramref name="revision"/>, by default the current one; returns that revision.</summary>
    public async Task<long> CompactAsync(long? revision = null)
    {
        var at = revision ?? await GetRevisionAsync();
        await EtcdctlAsync("compaction", "--physical=true", at.ToString(CultureInfo.InvariantCulture));
        return at;
    }

    /// <summary>Creates the root user with <paramref name="rootPassword"/> and enables auth; later etcdctl calls use root.</summary>
    public async Task EnableAuthAsync(string rootPassword)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootPassword);
        await EtcdctlAsync("user", "add", "root", "--new-user-password=" + rootPassword);
        // etcdctl's "auth enable" creates the root role and grants it to root when missing.
        await EtcdctlAsync("auth", "enable");
        _rootPassword = rootPassword;
    }

    /// <summary>
    /// Creates <paramref name="role"/> with read (or readwrite) permission on every key starting with
    /// <paramref name="keyPrefix"/>, and <paramref name="user"/> with <paramref name="password"/> holding that role.
    /// </summary>
    public async Task AddUserAsync(string user, string password, string role, string keyPrefix, bool readOnly)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentException.ThrowIfNullOrEmpty(password);
        ArgumentException.ThrowIfNullOrEmpty(role);
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        await EtcdctlAsync("role", "add", "--", role);
        await EtcdctlAsync("role", "grant-permission", "--prefix=true", "--", role, readOnly ? "read" : "readwrite", keyPrefix);
        await EtcdctlAsync("user", "add", "--new-user-password=" + password, "--", user);
        await EtcdctlAsync("user", "grant-role", "--", user, role);
    }

    /// <summary>
    /// Waits until every running, unpaused member reports healthy (it sees a leader and serves a quorum read) and
    /// exactly one of them claims to be the leader, bounded by <see cref="EtcdClusterOptions.StartTimeout"/>. After a
    /// kill or pause of the leader this waits for the new election, so a following write does not fail with
    /// "leader changed"; after a resume it waits until the old leader has stepped down.
    /// </summary>
    /// <exception cref="TimeoutException">Not healthy in time (the message holds the members' logs).</exception>
    /// <exception cref="InvalidOperationException">A member exited while waiting.</exception>
    public async Task WaitHealthyAsync(CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + _options.StartTimeout;
        while (true)
        {
            var members = Members.Where(m => m.IsRunning && !m.IsPaused).ToList();
            await Task.WhenAll(members.Select(m => m.WaitHealthyAsync(deadline, cancellationToken)));
            var claims = await Task.WhenAll(members.Select(m => HealthProbe.IsLeaderAsync(m.MetricsUrl, cancellationToken)));
            if (claims.Count(c => c == true) == 1)
            {
                return;
            }

            if (DateTime.UtcNow >= deadline)
            {
                var leaders = string.Join(", ", members.Select((m, i) => $"{m.Name}: {claims[i]?.ToString() ?? "no answer"}"));
                var logs = string.Join('\n', members.Select(m => $"{m.Name}:\n{m.LastLogLines(15)}"));
                throw new TimeoutException(
                    $"The etcd members did not agree on one leader in time (is leader? {leaders}).\nLast log lines:\n{logs}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Waits until the cluster is healthy (see <see cref="WaitHealthyAsync"/>) and returns the leader.</summary>
    public async Task<EtcdMember> GetLeaderAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            await WaitHealthyAsync(cancellationToken);
            foreach (var member in Members.Where(m => m.IsRunning && !m.IsPaused))
            {
                if (await HealthProbe.IsLeaderAsync(member.MetricsUrl, cancellationToken) == true)
                {
                    return member;
                }
            }
        }
    }

    /// <summary>
    /// Starts a member that joins this running cluster: reserves its ports, lets <paramref name="register"/> tell
    /// the cluster its peer URL (the client under test's <c>MemberAdd</c>, as a voter or a learner), then starts
    /// etcd with <c>--initial-cluster-state existing</c> and waits until it is healthy. It is named after the
    /// last member (m3 after m0..m2), is appended to <see cref="Members"/> and is killed on dispose.
    /// </summary>
    /// <exception cref="InvalidOperationException">The member exited during start (with its log).</exception>
    /// <exception cref="TimeoutException">It was not healthy within <see cref="EtcdClusterOptions.StartTimeout"/>.</exception>
    public async Task<EtcdMember> JoinMemberAsync(Func<string, Task> register, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(register);
        var ports = FreePorts.Take(3);
        lock (_membersLock)
        {
            _ports.AddRange(ports);
        }

        var name = $"m{_members.Length}";
        var peerUrl = $"http://127.0.0.1:{ports[1]}";
        await register(peerUrl);

        // The new member must be told every member the cluster knows, itself included (etcd has no name for it yet).
        using var list = JsonDocument.Parse(await EtcdctlAsync("member", "list", "-w", "json"));
        var initialCluster = string.Join(',', list.RootElement.GetProperty("members").EnumerateArray().SelectMany(m =>
        {
            var known = m.TryGetProperty("name", out var n) ? n.GetString() : null;
            return m.GetProperty("peerURLs").EnumerateArray().Select(url => $"{(string.IsNullOrEmpty(known) ? name : known)}={url.GetString()}");
        }));
        var member = CreateMember(_options, Certificates, Path.Combine(_directory, name), name, ports, initialCluster, "existing", _token);
        lock (_membersLock)
        {
            _members = [.. _members, member];
        }

        await member.StartProcessAsync();
        await member.WaitHealthyAsync(DateTime.UtcNow + _options.StartTimeout, cancellationToken);
        return member;
    }

    /// <summary>Kills every member with SIGKILL, waits for them to exit and deletes their data and the certificates.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await Task.WhenAll(Members.Select(m => m.KillAsync()));
        }
        finally
        {
            lock (_membersLock)
            {
                FreePorts.Release(_ports);
            }
            Certificates?.Dispose();
            ScratchDirectory.Delete(_directory);
        }
    }

    private static EtcdCluster Create(EtcdClusterOptions options)
    {
        var directory = ScratchDirectory.Create();
        int[] ports = [];
        try
        {
            var certificates = !options.UsesTls ? null
                : options.TlsWithWrongServerName ? EtcdCertificates.CreateWithWrongServerName(Path.Combine(directory, "certs"))
                : EtcdCertificates.Create(Path.Combine(directory, "certs"));
            ports = FreePorts.Take(options.Members * 3);
            var names = Enumerable.Range(0, options.Members).Select(i => $"m{i}").ToArray();
            var initialCluster = string.Join(',', names.Select((name, i) => $"{name}=http://127.0.0.1:{ports[(i * 3) + 1]}"));
            var token = $"etcd-testing-{Guid.NewGuid():N}";
            var members = names.Select((name, i) => CreateMember(
                options, certificates, Path.Combine(directory, name), name, ports[(i * 3)..((i * 3) + 3)], initialCluster, "new", token)).ToList();
            return new EtcdCluster(options, directory, ports, token, members, certificates);
        }
        catch
        {
            FreePorts.Release(ports);
            ScratchDirectory.Delete(directory);
            throw;
        }
    }

    /// <summary>One member's command line: <paramref name="ports"/> are its client, peer and metrics ports.</summary>
    private static EtcdMember CreateMember(
        EtcdClusterOptions options, EtcdCertificates? certificates, string dataDirectory, string name, int[] ports,
        string initialCluster, string initialClusterState, string token)
    {
        var clientUrl = $"{(certificates is null ? "http" : "https")}://127.0.0.1:{ports[0]}";
        var peerUrl = $"http://127.0.0.1:{ports[1]}";
        var metricsUrl = $"http://127.0.0.1:{ports[2]}";
        List<string> arguments =
        [
            "--name", name,
            "--data-dir", dataDirectory,
            "--listen-client-urls", clientUrl,
            "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", peerUrl,
            "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", initialCluster,
            "--initial-cluster-state", initialClusterState,
            "--initial-cluster-token", token,
            "--listen-metrics-urls", metricsUrl,
            "--logger", "zap",
            "--log-level", "warn",
        ];
        if (certificates is not null)
        {
            arguments.AddRange(["--cert-file", certificates.ServerCertificateFile, "--key-file", certificates.ServerKeyFile]);
            if (options.ClientCertAuth)
            {
                arguments.AddRange(["--client-cert-auth", "--trusted-ca-file", certificates.CaCertificateFile]);
            }
        }

        if (options.AuthTokenTtlSeconds is { } ttl)
        {
            arguments.AddRange(["--auth-token-ttl", ttl.ToString(CultureInfo.InvariantCulture)]);
        }

        if (options.QuotaBackendBytes is { } quota)
        {
            arguments.AddRange(["--quota-backend-bytes", quota.ToString(CultureInfo.InvariantCulture)]);
        }

        arguments.AddRange(options.ExtraArguments);
        return new EtcdMember(name, clientUrl, peerUrl, metricsUrl, dataDirectory, arguments, options.StartTimeout);
    }

    private List<string> GlobalFlags(IEnumerable<string> endpoints, string[] args)
    {
        // etcdctl's dial includes the login (bcrypt) under auth; 5 s was too little for a starved machine. A test
        // that expects a failure passes its own, shorter --dial-timeout (the last one given wins).
        List<string> flags = ["--dial-timeout=15s", "--command-timeout=15s"];
        if (!HasFlag(args, "--endpoints"))
        {
            flags.Add("--endpoints=" + string.Join(',', endpoints));
        }

        if (Certificates is not null)
        {
            flags.Add("--cacert=" + Certificates.CaCertificateFile);
            if (_options.ClientCertAuth)
            {
                flags.Add("--cert=" + Certificates.ClientCertificateFile);
                flags.Add("--key=" + Certificates.ClientKeyFile);
            }
        }

        if (_rootPassword is not null && !HasFlag(args, "--user"))
        {
            flags.Add("--user=root:" + _rootPassword);
        }

        return flags;
    }

    private static bool HasFlag(string[] args, string flag) =>
        args.TakeWhile(a => a != "--").Any(a => a == flag || a.StartsWith(flag + "=", StringComparison.Ordinal));
}
