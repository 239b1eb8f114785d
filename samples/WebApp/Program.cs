using EtcdConfiguration;
using Microsoft.Extensions.Options;
using Microsoft.FeatureManagement;
using WebApp;

var builder = WebApplication.CreateBuilder(args);

// Etcd:Endpoints and Etcd:Prefix come from appsettings.json, the environment (Etcd__Endpoints) or the command line.
builder.Configuration.AddEtcd(builder.Configuration.GetSection("Etcd"));

// A bad push to etcd (MaxItems 0, or "lots") is held back: the app keeps serving the last valid options and
// /health says Degraded until a valid value arrives.
builder.Services.AddOptions<CheckoutOptions>()
    .Bind(builder.Configuration.GetSection("Checkout"))
    .ValidateDataAnnotations()
    .ValidateOnStart()
    .ValidateEtcdChanges();
builder.Services.AddFeatureManagement();
builder.Services.AddHealthChecks().AddEtcdConfiguration();

var app = builder.Build();

app.MapGet("/", async (IOptionsMonitor<CheckoutOptions> checkout, IFeatureManager features, IConfiguration configuration) =>
{
    var etcd = ((IConfigurationRoot)configuration).Providers.OfType<EtcdConfigurationProvider>().Single();
    return Results.Ok(new
    {
        checkout.CurrentValue.Banner,
        checkout.CurrentValue.MaxItems,
        checkout.CurrentValue.Providers,
        NewCheckout = await features.IsEnabledAsync("NewCheckout"),
        etcd.Revision,
    });
});

app.MapHealthChecks("/health");

app.Run();
