using EtcdConfiguration.Testing;
using Google.Protobuf;
using Grpc.Net.Client;
using Wire = EtcdConfiguration.Client.Wire;

namespace EtcdConfiguration.Client.Tests.Harness;

/// <summary>Our own .proto files talk to real etcd: the generated stubs, with no client code in between.</summary>
[Collection(ClusterTestGroup.Name)]
public sealed class GeneratedStubsTests
{
    [Fact]
    public async Task The_generated_KV_stub_writes_and_reads_a_key_that_etcdctl_sees()
    {
        await using var cluster = await EtcdCluster.StartAsync();
        using var channel = GrpcChannel.ForAddress(cluster.ClientUrls[0]);
        var kv = new Wire.KV.KVClient(channel);

        var put = await kv.PutAsync(new Wire.PutRequest { Key = ByteString.CopyFromUtf8("stubs/greeting"), Value = ByteString.CopyFromUtf8("hello ✓") });
        var range = await kv.RangeAsync(new Wire.RangeRequest { Key = ByteString.CopyFromUtf8("stubs/greeting") });

        var kvPair = Assert.Single(range.Kvs);
        Assert.Equal("hello ✓", kvPair.Value.ToStringUtf8());
        Assert.Equal(put.Header.Revision, kvPair.ModRevision);
        Assert.Equal(1, kvPair.Version);
        Assert.NotEqual(0UL, range.Header.ClusterId);
        Assert.Equal("hello ✓", await cluster.GetAsync("stubs/greeting"));
    }

    [Fact]
    public async Task The_generated_cluster_and_maintenance_stubs_describe_a_three_member_cluster()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 3 });
        using var channel = GrpcChannel.ForAddress(cluster.ClientUrls[1]);

        var members = await new Wire.Cluster.ClusterClient(channel).MemberListAsync(new Wire.MemberListRequest());
        var status = await new Wire.Maintenance.MaintenanceClient(channel).StatusAsync(new Wire.StatusRequest());

        Assert.Equal(3, members.Members.Count);
        Assert.Equal(
            cluster.ClientUrls.Order(StringComparer.Ordinal),
            members.Members.SelectMany(m => m.ClientURLs).Order(StringComparer.Ordinal));
        Assert.StartsWith("3.4.", status.Version, StringComparison.Ordinal);
        Assert.Contains(members.Members, m => m.ID == status.Leader);
    }
}
