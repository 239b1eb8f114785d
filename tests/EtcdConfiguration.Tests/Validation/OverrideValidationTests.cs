using EtcdConfiguration.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EtcdConfiguration.Tests.Validation;

/// <summary>
/// A temporary override and <c>ValidateEtcdChanges()</c> on the same key: an override that validates is served, one
/// that does not is held back like any other change, and its expiry brings back the ordinary, valid value.
/// </summary>
public class OverrideValidationTests(ProviderClusterFixture fixture) : IClassFixture<ProviderClusterFixture>
{
    [Fact]
    public async Task AnInvalidOverrideIsHeldBackAndItsExpiryBringsTheOrdinaryValueBack()
    {
        var prefix = ProviderClusterFixture.NewPrefix();
        var kv = fixture.Client.KV;
        await kv.PutAsync(prefix + "Checkout/MaxItems", "10");
        await kv.PutAsync(prefix + "Checkout/Currency", "EUR");
        await using var app = await GatedApp.StartAsync(fixture, prefix, (services, configuration) =>
            services.AddOptions<CheckoutOptions>().Bind(configuration.GetSection("Checkout")).ValidateDataAnnotations().ValidateEtcdChanges());
        var checkout = app.Get<IOptionsMonitor<CheckoutOptions>>();
        var overrideKey = prefix + ".overrides/Checkout/MaxItems";

        // A valid override is served over the ordinary value.
        var longLease = await fixture.Client.Lease.GrantAsync(60);
        await kv.PutAsync(overrideKey, "50", new PutOptions { Lease = longLease.Id });
        await Eventually.TrueAsync(() => checkout.CurrentValue.MaxItems == 50, "the valid override is served");

        // The same override made invalid, on a short lease: held back, the app keeps the last valid value.
        var shortLease = await fixture.Client.Lease.GrantAsync(3);
        var invalid = await kv.PutAsync(overrideKey, "500", new PutOptions { Lease = shortLease.Id });
        await Eventually.TrueAsync(() => app.Provider.Status.RejectedRevision == invalid.Header.Revision, "the invalid override is held back");
        Assert.Equal("50", app.Configuration["Checkout:MaxItems"]);
        Assert.Equal(50, checkout.CurrentValue.MaxItems);
        Assert.Contains("MaxItems", Assert.Single(app.Provider.Status.ValidationFailures), StringComparison.Ordinal);

        // Its lease runs out: etcd deletes the override, the ordinary value validates and is applied, the status clears.
        await Eventually.TrueAsync(
            async () => (await kv.GetAsync(overrideKey)).Kvs.Count == 0,
            "etcd expires the override with its lease",
            timeout: TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(() => app.Provider.Status.RejectedRevision is null, "the status clears");
        Assert.Equal(10, checkout.CurrentValue.MaxItems);
        Assert.Equal("10", app.Configuration["Checkout:MaxItems"]);
        Assert.Equal("10", (await kv.GetAsync(prefix + "Checkout/MaxItems")).Kvs.Single().Value);
    }
}
