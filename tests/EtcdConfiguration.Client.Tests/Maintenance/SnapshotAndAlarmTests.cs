using System.Text.Json;
using EtcdConfiguration.Client.Tests.Harness;
using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Client.Tests.Maintenance;

/// <summary>Snapshots, the NOSPACE alarm and defragmentation on one real member, checked with etcdctl.</summary>
public sealed class SnapshotAndAlarmTests
{
    [Fact]
    public async Task A_snapshot_streamed_to_a_file_is_one_etcdctl_reads_with_every_key_and_the_revision()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var cluster = await EtcdCluster.StartAsync(cancellationToken: bound.Token);
        await using var client = await Connect(cluster, bound.Token);
        for (var i = 0; i < 50; i++)
        {
            await client.KV.PutAsync($"/snap/{i:D3}", new string('v', 1000), cancellationToken: bound.Token);
        }

        var revision = (await client.KV.GetAsync("/snap/000", cancellationToken: bound.Token)).Header.Revision;
        var file = Path.Combine(Path.GetTempPath(), $"etcd-snapshot-{Guid.NewGuid():N}.db");
        try
        {
            long written;
            await using (var destination = File.Create(file))
            {
                written = await client.Maintenance.SnapshotAsync(destination, cancellationToken: bound.Token);
            }

            Assert.Equal(new FileInfo(file).Length, written);
            using var status = JsonDocument.Parse(await cluster.EtcdctlAsync("snapshot", "status", "-w", "json", file));
            Assert.Equal(revision, status.RootElement.GetProperty("revision").GetInt64());
            Assert.True(status.RootElement.GetProperty("totalKey").GetInt64() >= 50, status.RootElement.ToString());

            await Assert.ThrowsAsync<ArgumentException>(() => client.Maintenance.SnapshotAsync(Stream.Null, "http://127.0.0.1:1", bound.Token));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_full_database_raises_NOSPACE_which_compaction_defragmentation_and_disarming_clear()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var options = new EtcdClusterOptions();
        options.ExtraArguments.Add("--quota-backend-bytes=" + (2 * 1024 * 1024));
        await using var cluster = await EtcdCluster.StartAsync(options, bound.Token);
        await using var client = await Connect(cluster, bound.Token);
        var memberId = (await client.Maintenance.StatusAsync(cancellationToken: bound.Token)).Header.MemberId;
        Assert.Empty((await client.Maintenance.AlarmListAsync(bound.Token)).Alarms);

        var full = await FillAsync(client, bound.Token);

        Assert.Equal(Grpc.Core.StatusCode.ResourceExhausted, full.StatusCode);
        var alarms = await client.Maintenance.AlarmListAsync(bound.Token);
        Assert.Equal([new AlarmMember(memberId, AlarmType.NoSpace)], alarms.Alarms);
        Assert.Contains("NOSPACE", await cluster.EtcdctlAsync("alarm", "list"), StringComparison.Ordinal);

        // etcd's recipe: free the space (delete, compact, defragment), then disarm.
        await client.KV.DeleteAsync("/fill/", new DeleteOptions { Prefix = true }, bound.Token);
        var revision = (await client.KV.GetAsync("/fill/", cancellationToken: bound.Token)).Header.Revision;
        await client.KV.CompactAsync(revision, physical: true, bound.Token);
        var before = await client.Maintenance.StatusAsync(cluster.ClientUrls[0], bound.Token);
        await client.Maintenance.DefragmentAsync(cluster.ClientUrls[0], bound.Token);
        var after = await client.Maintenance.StatusAsync(cluster.ClientUrls[0], bound.Token);
        Assert.True(after.DbSize < before.DbSize, $"The database was {before.DbSize} bytes before defragmenting and {after.DbSize} after.");

        var disarmed = await client.Maintenance.AlarmDisarmAsync(cancellationToken: bound.Token);

        Assert.Equal([new AlarmMember(memberId, AlarmType.NoSpace)], disarmed.Alarms);
        Assert.Empty((await client.Maintenance.AlarmListAsync(bound.Token)).Alarms);
        Assert.Equal(string.Empty, (await cluster.EtcdctlAsync("alarm", "list")).Trim());
        await client.KV.PutAsync("/after-disarm", "ok", cancellationToken: bound.Token);
        Assert.Equal("ok", await cluster.GetAsync("/after-disarm"));
    }

    private static async Task<EtcdException> FillAsync(EtcdClient client, CancellationToken cancellationToken)
    {
        var value = new string('x', 256 * 1024);
        for (var i = 0; i < 200; i++)
        {
            try
            {
                await client.KV.PutAsync($"/fill/{i}", value, cancellationToken: cancellationToken);
            }
            catch (EtcdException ex)
            {
                return ex;
            }
        }

        throw new Xunit.Sdk.XunitException("200 puts of 256 KiB did not exceed a 2 MiB quota.");
    }

    private static Task<EtcdClient> Connect(EtcdCluster cluster, CancellationToken cancellationToken) =>
        EtcdClient.ConnectAsync(new EtcdClientOptions { Endpoints = [.. cluster.ClientUrls], DialTimeout = TimeSpan.FromSeconds(30) }, cancellationToken);
}
