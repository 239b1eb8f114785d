using System.Text.Json;
using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Client.Tests.Tour;

/// <summary>The AdminTour sample runs against real etcd and leaves it as it found it; the README quotes it exactly.</summary>
public sealed class AdminTourTests
{
    [Fact]
    public async Task The_admin_tour_runs_every_section_against_real_etcd_and_undoes_its_changes()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var cluster = await EtcdCluster.StartAsync(cancellationToken: bound.Token);
        using var output = new StringWriter();
        var snapshot = Path.Combine(Path.GetTempPath(), "etcd-backup.db");

        // The tour dials with 5 s, as a reader would; warm the process up with a patient client first.
        await using (var warmUp = await EtcdClient.ConnectAsync(new EtcdClientOptions { Endpoints = [.. cluster.ClientUrls], DialTimeout = TimeSpan.FromSeconds(30) }, bound.Token))
        {
            await warmUp.KV.GetAsync("/warm-up", cancellationToken: bound.Token);
        }

        try
        {
            await global::AdminTour.Tour.RunAsync(cluster.Endpoints, output).WaitAsync(bound.Token);

            var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
            var url = cluster.ClientUrls[0];
            Assert.Contains(lines, l => l.StartsWith($"{url}: etcd 3.", StringComparison.Ordinal) && l.EndsWith("leader yes", StringComparison.Ordinal));
            Assert.Contains("alarms: none", lines);
            Assert.Contains(lines, l => l.StartsWith($"{url}: hash ", StringComparison.Ordinal));
            using var status = JsonDocument.Parse(await cluster.EtcdctlAsync("snapshot", "status", "-w", "json", snapshot));
            Assert.Contains($"snapshot: {new FileInfo(snapshot).Length} bytes", lines);
            // Nothing was written before the snapshot; its content is checked in SnapshotAndAlarmTests. etcdctl reads it.
            Assert.True(status.RootElement.GetProperty("totalKey").GetInt64() > 0, status.RootElement.ToString());
            Assert.Contains(lines, l => l.StartsWith("added learner ", StringComparison.Ordinal) && l.EndsWith("; members: 2", StringComparison.Ordinal));
            Assert.Contains("member (not started): http://127.0.0.1:23800 learner", lines);
            Assert.Contains("member m0: " + cluster.Members[0].PeerUrl, lines);
            Assert.Contains("removed learner; members: 1", lines);
            Assert.Contains(lines, l => l.StartsWith("denied: ", StringComparison.Ordinal) && l.Contains("user 'app-user' lacks permission", StringComparison.Ordinal));
            Assert.Contains("role app: ReadWrite [/app/, /app0)", lines);
            Assert.Contains("users: app-user, root", lines);
            Assert.DoesNotContain(lines, l => l.Contains("password", StringComparison.OrdinalIgnoreCase));

            // Everything is undone: auth is off (etcdctl works without a user), no user or role is left, one member.
            Assert.Equal("hello", await cluster.GetAsync("/app/greeting"));
            Assert.Equal(string.Empty, (await cluster.EtcdctlAsync("user", "list")).Trim());
            Assert.Equal(string.Empty, (await cluster.EtcdctlAsync("role", "list")).Trim());
            using var members = JsonDocument.Parse(await cluster.EtcdctlAsync("member", "list", "-w", "json"));
            Assert.Single(members.RootElement.GetProperty("members").EnumerateArray());
        }
        finally
        {
            File.Delete(snapshot);
        }
    }

    [Fact]
    public void The_README_quotes_every_snippet_of_the_admin_tour_verbatim()
    {
        var snippets = ReadmeSnippets.Read(Path.Combine("samples", "AdminTour", "Tour.cs"));
        var readme = ReadmeSnippets.Readme();

        Assert.Equal(["maintenance", "cluster", "auth"], snippets.Select(s => s.Name));
        foreach (var (name, code) in snippets)
        {
            Assert.True(readme.Contains(code, StringComparison.Ordinal), $"README.md does not quote the '{name}' snippet of samples/AdminTour/Tour.cs verbatim.");
        }
    }
}
