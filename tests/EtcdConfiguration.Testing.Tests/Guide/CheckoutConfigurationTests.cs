using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Testing.Tests.Guide;

// The README's "Testing your app against real etcd" quotes the regions between the snippet markers verbatim.

// snippet: fixture
/// <summary>One etcd member for all tests of a class: started before the first, deleted after the last.</summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    public EtcdCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await EtcdCluster.StartAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
// end snippet

[Collection(ClusterTestGroup.Name)] // this suite runs its 3-member clusters one at a time
// snippet: tests
public sealed class CheckoutConfigurationTests(EtcdFixture etcd) : IClassFixture<EtcdFixture>
{
    [Fact]
    public async Task The_app_follows_a_banner_changed_in_etcd()
    {
        await etcd.Cluster.PutAsync("/checkout/Checkout/Banner", "Hello");
        using var configuration = (ConfigurationRoot)new ConfigurationBuilder()
            .AddEtcd(etcd.Cluster.Endpoints, "/checkout/")
            .Build();
        Assert.Equal("Hello", configuration["Checkout:Banner"]);

        await etcd.Cluster.PutAsync("/checkout/Checkout/Banner", "Sale!");

        await Eventually.ValueAsync(configuration, "Checkout:Banner", "Sale!");
    }

    [Fact]
    public async Task The_app_follows_etcd_after_its_leader_dies()
    {
        // A fault test gets a cluster of its own: killing a member must not disturb the other tests.
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 3 });
        await Elections.RetryAsync(() => cluster.PutAsync("/checkout/Checkout/Banner", "Hello"));
        using var configuration = (ConfigurationRoot)new ConfigurationBuilder()
            .AddEtcd(cluster.Endpoints, "/checkout/")
            .Build();

        await (await cluster.GetLeaderAsync()).KillAsync();
        await Elections.RetryAsync(() => cluster.PutAsync("/checkout/Checkout/Banner", "Still open"));

        await Eventually.ValueAsync(configuration, "Checkout:Banner", "Still open");
    }
}
// end snippet
