namespace EtcdConfiguration.Client.Tests.Endpoints;

/// <summary>SetEndpoints refuses a bad list whole, before anything changes (no etcd needed: nothing is dialled).</summary>
public sealed class SetEndpointsValidationTests
{
    [Fact]
    public void A_bad_endpoint_is_refused_by_name_and_the_endpoints_stay_as_they_were()
    {
        using var client = new EtcdClient("http://127.0.0.1:2379");

        var error = Assert.Throws<ArgumentException>(() => client.SetEndpoints("http://127.0.0.1:2381", "ftp://etcd-2:2379"));
        Assert.Throws<ArgumentException>(() => client.SetEndpoints());

        Assert.Contains("'ftp://etcd-2:2379'", error.Message, StringComparison.Ordinal);
        Assert.Equal(["http://127.0.0.1:2379"], client.Endpoints);
    }

    [Fact]
    public void The_new_list_is_normalised_and_repeats_are_dropped()
    {
        using var client = new EtcdClient("http://127.0.0.1:2379");

        client.SetEndpoints("127.0.0.1:2381", "http://127.0.0.1:2381/", "http://127.0.0.1:2379");

        Assert.Equal(["http://127.0.0.1:2381", "http://127.0.0.1:2379"], client.Endpoints);
    }

    [Fact]
    public async Task A_disposed_client_refuses_new_endpoints()
    {
        var client = new EtcdClient("http://127.0.0.1:2379");
        await client.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => client.SetEndpoints("http://127.0.0.1:2381"));
    }
}
