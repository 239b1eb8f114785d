using EtcdConfiguration;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.FeatureManagement;
using WebApp;

var builder = WebApplication.CreateBuilder(args);

// Configuration is built before the app's services exist, so the provider gets a logger factory of its own.
var etcdLogging = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true));

// Etcd:Endpoints and Etcd:Prefix come from appsettings.json, the environment (Etcd__Endpoints) or the command line;
// what configuration cannot hold (a logger, callbacks) is set in code.
builder.Configuration.AddEtcd(builder.Configuration.GetSection("Etcd"), etcd => etcd.LoggerFactory = etcdLogging);

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

// The health data is flat (strings and numbers), so a plain JSON writer shows all of it.
app.MapHealthChecks("/health", new HealthCheckOptions
{
    ResponseWriter = (context, report) => context.Response.WriteAsJsonAsync(new
    {
        Status = report.Status.ToString(),
        Checks = report.Entries.ToDictionary(
            entry => entry.Key,
            entry => new { Status = entry.Value.Status.ToString(), entry.Value.Description, entry.Value.Data }),
    }),
});

app.Run();
