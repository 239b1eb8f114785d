using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;

namespace EtcdConfiguration.Tests.LiveReload;

/// <summary>Microsoft.FeatureManagement flags stored in etcd flip live.</summary>
public sealed class FeatureManagementTests(ProviderClusterFixture fixture) : IClassFixture<ProviderClusterFixture>
{
    [Fact]
    public async Task AFlagInEtcdFlipsIsEnabledLive()
    {
        var p = ProviderClusterFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "FeatureManagement/Beta", "false");
        using var root = fixture.Build(p);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(root);
        services.AddFeatureManagement();
        await using var provider = services.BuildServiceProvider();
        var features = provider.GetRequiredService<IFeatureManager>();

        Assert.False(await features.IsEnabledAsync("Beta"));
        Assert.False(await features.IsEnabledAsync("Gamma"));

        await fixture.Client.KV.PutAsync(p + "FeatureManagement/Beta", "true");
        await Eventually.TrueAsync(() => features.IsEnabledAsync("Beta"), "Beta is enabled");

        await fixture.Cluster.PutAsync(p + "FeatureManagement/Beta", "false");
        await Eventually.TrueAsync(async () => !await features.IsEnabledAsync("Beta"), "Beta is disabled again");

        // Flags can also come as one JSON blob, and a deleted flag is off.
        await fixture.Client.KV.PutAsync(p + "FeatureManagement", """{ "Gamma": true }""");
        await Eventually.TrueAsync(() => features.IsEnabledAsync("Gamma"), "Gamma is enabled");
        await fixture.Client.KV.DeleteAsync(p + "FeatureManagement");
        await Eventually.TrueAsync(async () => !await features.IsEnabledAsync("Gamma"), "Gamma is off once deleted");
        Assert.False(await features.IsEnabledAsync("Beta"));
    }
}
