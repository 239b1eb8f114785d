using EtcdConfiguration.Client;
using EtcdConfiguration.Tests.Health;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace EtcdConfiguration.Tests.Validation;

/// <summary>
/// <c>ValidateEtcdChanges()</c> against a real etcd: a change that would make gated options invalid is held back
/// for their sections only, the app keeps its last valid options, it is reported, and the next valid state goes in.
/// </summary>
public class ValidatedChangesTests(ProviderClusterFixture fixture) : IClassFixture<ProviderClusterFixture>
{
    private KVClient Kv => fixture.Client.KV;

    [Fact]
    public async Task ATransactionThatBreaksAGatedSectionIsHeldBackWholeForItWhileItsOtherSectionApplies()
    {
        var prefix = ProviderClusterFixture.NewPrefix();
        await Kv.PutAsync(prefix + "Checkout/MaxItems", "10");
        await Kv.PutAsync(prefix + "Checkout/Currency", "EUR");
        await Kv.PutAsync(prefix + "Shipping/Carrier", "ups");
        using var metrics = new MetricsRecorder(prefix);
        await using var app = await GatedApp.StartAsync(fixture, prefix, (services, configuration) =>
        {
            services.AddOptions<CheckoutOptions>().Bind(configuration.GetSection("Checkout")).ValidateDataAnnotations().ValidateEtcdChanges();
            services.AddOptions<ShippingOptions>().Bind(configuration.GetSection("Shipping"));
        });
        var checkout = app.Get<IOptionsMonitor<CheckoutOptions>>();
        var shipping = app.Get<IOptionsMonitor<ShippingOptions>>();
        Assert.Equal(10, checkout.CurrentValue.MaxItems);
        using var changes = new OptionsChanges<CheckoutOptions>(checkout);

        // One transaction: an invalid value and a valid one in the gated section, and a key of another section.
        var txn = await Kv.Txn().Then(
            Op.Put(prefix + "Checkout/MaxItems", "500"),
            Op.Put(prefix + "Checkout/Currency", "USD"),
            Op.Put(prefix + "Shipping/Carrier", "dhl")).CommitAsync();
        var rejected = txn.Header.Revision;
        await Eventually.TrueAsync(() => app.Provider.Status.RejectedRevision == rejected, "the transaction is held back");

        Assert.Equal("dhl", app.Configuration["Shipping:Carrier"]);
        Assert.Equal("dhl", shipping.CurrentValue.Carrier);
        Assert.Equal(("10", "EUR"), (app.Configuration["Checkout:MaxItems"], app.Configuration["Checkout:Currency"]));
        Assert.Equal((10, "EUR"), (checkout.CurrentValue.MaxItems, checkout.CurrentValue.Currency));
        Assert.All(changes.Values, o => Assert.Equal((10, "EUR"), (o.MaxItems, o.Currency)));

        var failure = Assert.Single(app.Provider.Status.ValidationFailures);
        Assert.Contains("CheckoutOptions", failure, StringComparison.Ordinal);
        Assert.Contains("'Checkout'", failure, StringComparison.Ordinal);
        Assert.Contains("MaxItems", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("500", failure, StringComparison.Ordinal);
        var health = await app.CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains("CheckoutOptions", health.Description, StringComparison.Ordinal);
        Assert.Contains("MaxItems", health.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("500", health.Description, StringComparison.Ordinal);
        var data = TestConfiguration.ProviderData(health, prefix);
        Assert.Equal(rejected, data["rejectedRevision"]);
        Assert.Equal(1, metrics.Sum("etcd_configuration.rejected_changes"));
        var warning = Assert.Single(app.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("Held back", StringComparison.Ordinal));
        Assert.Contains("CheckoutOptions", warning, StringComparison.Ordinal);
        Assert.Contains(rejected.ToString(System.Globalization.CultureInfo.InvariantCulture), warning, StringComparison.Ordinal);
        Assert.DoesNotContain("500", warning, StringComparison.Ordinal);

        // Another invalid change of the gated section alone changes nothing a reader sees: no reload, no OnChange.
        var reloads = metrics.Sum("etcd_configuration.reloads");
        var delivered = changes.Values.Count;
        var again = await Kv.PutAsync(prefix + "Checkout/MaxItems", "0");
        await Eventually.TrueAsync(() => app.Provider.Status.RejectedRevision == again.Header.Revision, "the second invalid change is held back");
        Assert.Equal(reloads, metrics.Sum("etcd_configuration.reloads"));
        Assert.Equal(delivered, changes.Values.Count);
        Assert.Equal(2, metrics.Sum("etcd_configuration.rejected_changes"));
        Assert.Equal("10", app.Configuration["Checkout:MaxItems"]);

        // The fix goes in whole: with it, the held-back Currency's current value.
        await Kv.PutAsync(prefix + "Checkout/MaxItems", "20");
        var fixedValue = await changes.WaitAsync(o => o.MaxItems == 20, "the fixed options are delivered");
        Assert.Equal("USD", fixedValue.Currency);
        Assert.Equal((20, "USD"), (checkout.CurrentValue.MaxItems, checkout.CurrentValue.Currency));
        await Eventually.TrueAsync(() => app.Provider.Status.RejectedRevision is null, "the status clears");
        Assert.Empty(app.Provider.Status.ValidationFailures);
        Assert.Equal(HealthStatus.Healthy, (await app.CheckHealthAsync()).Status);
        Assert.Equal(2, metrics.Sum("etcd_configuration.rejected_changes"));
    }

    [Fact]
    public async Task AValueTheBinderCannotConvertIsHeldBackAndNamedButNeverShown()
    {
        var prefix = ProviderClusterFixture.NewPrefix();
        await Kv.PutAsync(prefix + "Checkout/MaxItems", "10");
        await Kv.PutAsync(prefix + "Checkout/Currency", "EUR");
        await using var app = await GatedApp.StartAsync(fixture, prefix, (services, configuration) =>
            services.AddOptions<CheckoutOptions>().Bind(configuration.GetSection("Checkout")).ValidateDataAnnotations().ValidateEtcdChanges());
        var checkout = app.Get<IOptionsMonitor<CheckoutOptions>>();

        var put = await Kv.PutAsync(prefix + "Checkout/MaxItems", "abc-secret");
        await Eventually.TrueAsync(() => app.Provider.Status.RejectedRevision == put.Header.Revision, "the unconvertible value is held back");
        Assert.Equal(10, checkout.CurrentValue.MaxItems);
        var failure = Assert.Single(app.Provider.Status.ValidationFailures);
        Assert.Contains("Checkout:MaxItems", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("abc-secret", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("abc-secret", StringComparison.Ordinal));

        // A re-read of the whole prefix is gated too: the held-back value stays out.
        app.Configuration.Reload();
        Assert.Equal("10", app.Configuration["Checkout:MaxItems"]);
        Assert.Equal(put.Header.Revision, app.Provider.Status.RejectedRevision);

        // A new key in the section is read by the binder too: a valid state with it goes in.
        await Kv.TxnAsyncPut(prefix + "Checkout/MaxItems", "7", prefix + "Checkout/Note", "n");
        await Eventually.TrueAsync(() => checkout.CurrentValue.MaxItems == 7, "the valid state is applied");
        Assert.Equal("n", app.Configuration["Checkout:Note"]);
        Assert.Null(app.Provider.Status.RejectedRevision);
    }

    [Fact]
    public async Task NamedOptionsAreGatedByTheirOwnSectionAndOnlyWhenAsked()
    {
        var prefix = ProviderClusterFixture.NewPrefix();
        await Kv.PutAsync(prefix + "Regions/Eu/Currency", "EUR");
        await Kv.PutAsync(prefix + "Regions/Us/Currency", "USD");
        await using var app = await GatedApp.StartAsync(fixture, prefix, (services, configuration) =>
        {
            services.AddOptions<CheckoutOptions>("eu").Bind(configuration.GetSection("Regions:Eu")).Validate(o => o.Currency.Length == 3, "Currency must be a three-letter code.").ValidateEtcdChanges();
            services.AddOptions<CheckoutOptions>("us").Bind(configuration.GetSection("Regions:Us")).Validate(o => o.Currency.Length == 3, "Currency must be a three-letter code.");
        });
        var checkout = app.Get<IOptionsMonitor<CheckoutOptions>>();

        var put = await Kv.PutAsync(prefix + "Regions/Eu/Currency", "EURO");
        await Eventually.TrueAsync(() => app.Provider.Status.RejectedRevision == put.Header.Revision, "the named options' change is held back");
        Assert.Equal("EUR", checkout.Get("eu").Currency);
        Assert.Contains(app.Provider.Status.ValidationFailures, f => f.Contains("CheckoutOptions 'eu'", StringComparison.Ordinal) && f.Contains("three-letter", StringComparison.Ordinal));

        // The "us" options are not gated: their invalid value goes in as today, and the "eu" hold-back stays.
        await Kv.PutAsync(prefix + "Regions/Us/Currency", "DOLLAR");
        await Eventually.TrueAsync(() => app.Configuration["Regions:Us:Currency"] == "DOLLAR", "the ungated change is applied");
        await Eventually.TrueAsync(() => FailsValidation(() => checkout.Get("us")), "the ungated options fail validation");
        Assert.Equal(put.Header.Revision, app.Provider.Status.RejectedRevision);

        await Kv.PutAsync(prefix + "Regions/Eu/Currency", "CHF");
        await Eventually.TrueAsync(() => checkout.Get("eu").Currency == "CHF", "the valid named options are applied");
        Assert.Null(app.Provider.Status.RejectedRevision);
    }

    [Fact]
    public async Task WithoutValidateEtcdChangesAnInvalidValueGoesInAsBefore()
    {
        var prefix = ProviderClusterFixture.NewPrefix();
        await Kv.PutAsync(prefix + "Checkout/MaxItems", "10");
        await Kv.PutAsync(prefix + "Checkout/Currency", "EUR");
        using var metrics = new MetricsRecorder(prefix);
        await using var app = await GatedApp.StartAsync(fixture, prefix, (services, configuration) =>
            services.AddOptions<CheckoutOptions>().Bind(configuration.GetSection("Checkout")).ValidateDataAnnotations());
        var checkout = app.Get<IOptionsMonitor<CheckoutOptions>>();
        Assert.Equal(10, checkout.CurrentValue.MaxItems);

        await Kv.PutAsync(prefix + "Checkout/MaxItems", "500");
        await Eventually.TrueAsync(() => app.Configuration["Checkout:MaxItems"] == "500", "the invalid value is applied");

        // The data is readable a moment before the reload token fires and the options cache lets go of the old value.
        await Eventually.TrueAsync(() => FailsValidation(() => checkout.CurrentValue), "the options fail validation, as without the gate");
        Assert.Null(app.Provider.Status.RejectedRevision);
        Assert.Equal(HealthStatus.Healthy, (await app.CheckHealthAsync()).Status);
        Assert.Equal(0, metrics.Sum("etcd_configuration.rejected_changes"));
    }

    private static bool FailsValidation(Func<CheckoutOptions> read)
    {
        try
        {
            read();
            return false;
        }
        catch (OptionsValidationException)
        {
            return true;
        }
    }
}
