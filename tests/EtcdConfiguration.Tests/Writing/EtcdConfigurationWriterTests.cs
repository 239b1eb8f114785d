
namespace EtcdConfiguration.Tests.Writing;

/// <summary><see cref="EtcdConfigurationWriter"/> against real etcd: keys in configuration syntax, leased overrides.</summary>
public sealed class EtcdConfigurationWriterTests(ProviderClusterFixture fixture) : IClassFixture<ProviderClusterFixture>
{
    [Fact]
    public async Task SetAndDeleteWriteTheEtcdKeyTheProviderMapsBack()
    {
        var p = ProviderClusterFixture.NewPrefix();
        var writer = new EtcdConfigurationWriter(fixture.Client, p.TrimEnd('/'));

        var revision = await writer.SetAsync("Checkout:MaxItems", "25");
        await writer.SetAsync("Checkout:Nothing", null);

        Assert.Equal(p, writer.Prefix);
        var stored = (await fixture.Client.KV.GetAsync(p + "Checkout/MaxItems")).Kvs.Single();
        Assert.Equal(("25", revision), (stored.Value, stored.ModRevision));
        using (var root = fixture.Build(p))
        {
            Assert.Equal("25", root["Checkout:MaxItems"]);
            Assert.Contains(Microsoft.Extensions.Configuration.ConfigurationExtensions.AsEnumerable(root), pair => pair.Key == "Checkout:Nothing" && pair.Value is null);
        }

        Assert.True(await writer.DeleteAsync("Checkout:MaxItems"));
        Assert.False(await writer.DeleteAsync("Checkout:MaxItems"));
        Assert.Empty((await fixture.Client.KV.GetAsync(p + "Checkout/MaxItems")).Kvs);
    }

    [Fact]
    public async Task AnOverrideIsALeasedKeyUnderOverridesAndWritingItAgainReplacesTheLease()
    {
        var p = ProviderClusterFixture.NewPrefix();
        var writer = new EtcdConfigurationWriter(fixture.Client, p);
        await writer.SetAsync("Checkout:MaxItems", "10");

        var first = await writer.SetOverrideAsync("Checkout:MaxItems", "99", TimeSpan.FromSeconds(90.2));
        var second = await writer.SetOverrideAsync("Checkout:MaxItems", "100", TimeSpan.FromMinutes(5));

        Assert.Equal(p + ".overrides/Checkout/MaxItems", second.EtcdKey);
        Assert.Equal(TimeSpan.FromSeconds(91), first.Ttl);
        Assert.NotEqual(first.LeaseId, second.LeaseId);
        Assert.False((await fixture.Client.Lease.TimeToLiveAsync(first.LeaseId)).Exists);
        var stored = (await fixture.Client.KV.GetAsync(second.EtcdKey)).Kvs.Single();
        Assert.Equal(("100", second.LeaseId), (stored.Value, stored.Lease));
        Assert.Equal("10", (await fixture.Client.KV.GetAsync(p + "Checkout/MaxItems")).Kvs.Single().Value);

        Assert.True(await writer.RemoveOverrideAsync("Checkout:MaxItems"));
        Assert.False((await fixture.Client.Lease.TimeToLiveAsync(second.LeaseId)).Exists);
        Assert.Empty((await fixture.Client.KV.GetAsync(second.EtcdKey)).Kvs);
        Assert.False(await writer.RemoveOverrideAsync("Checkout:MaxItems"));
    }

    [Fact]
    public async Task AnOverrideExpiresByItself()
    {
        var p = ProviderClusterFixture.NewPrefix();
        var writer = new EtcdConfigurationWriter(fixture.Client, p);

        var written = await writer.SetOverrideAsync("Banner", "soon gone", TimeSpan.FromMilliseconds(1));

        Assert.InRange(written.Ttl, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)); // etcd may raise a TTL to its minimum
        await Eventually.TrueAsync(
            async () => (await fixture.Client.KV.GetAsync(written.EtcdKey)).Kvs.Count == 0,
            "the override's lease has expired");
    }

    [Theory]
    [InlineData("A::B")]
    [InlineData("A:b/c")]
    [InlineData(".overrides:X")]
    public async Task AKeyWithoutAnEtcdKeyOfItsOwnIsRefusedNamingIt(string key)
    {
        var writer = new EtcdConfigurationWriter(fixture.Client, ProviderClusterFixture.NewPrefix());

        var error = await Assert.ThrowsAsync<ArgumentException>(() => writer.SetAsync(key, "v"));

        Assert.Contains($"'{key}'", error.Message);
    }

    [Fact]
    public async Task NullCannotBeStoredInTheRawFormat()
    {
        var writer = new EtcdConfigurationWriter(fixture.Client, ProviderClusterFixture.NewPrefix()) { ValueFormat = EtcdValueFormat.Raw };

        await Assert.ThrowsAsync<NotSupportedException>(() => writer.SetAsync("A", null));
    }
}
