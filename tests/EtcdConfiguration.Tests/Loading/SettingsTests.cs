using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tests.Loading;

/// <summary><c>AddEtcd(IConfiguration settings)</c>: every setting parsed, bad ones rejected by name.</summary>
public sealed class SettingsTests(ProviderClusterFixture fixture) : IClassFixture<ProviderClusterFixture>
{
    [Fact]
    public void EndpointsAsAnArrayAndEveryOtherSettingAreRead()
    {
        var source = SourceFrom(new()
        {
            ["Endpoints:0"] = "http://a.example:2379",
            ["Endpoints:1"] = " http://b.example:2379 ",
            ["Endpoints:2"] = "",
            ["Prefix"] = "/app",
            ["Username"] = "app-reader",
            ["Password"] = "pa55word",
            ["Optional"] = "true",
            ["ReloadOnChange"] = "False",
            ["StartupTimeout"] = "00:00:05",
            ["ValueFormat"] = "json",
            ["CaCertificateFile"] = "/certs/ca.pem",
            ["ClientCertificateFile"] = "/certs/client.pem",
            ["ClientKeyFile"] = "/certs/client-key.pem",
        });

        Assert.Equal(["http://a.example:2379", "http://b.example:2379"], source.Endpoints);
        Assert.Equal("/app", source.Prefix);
        Assert.Equal("app-reader", source.Username);
        Assert.Equal("pa55word", source.Password);
        Assert.True(source.Optional);
        Assert.False(source.ReloadOnChange);
        Assert.Equal(TimeSpan.FromSeconds(5), source.StartupTimeout);
        Assert.Equal(EtcdValueFormat.Json, source.ValueFormat);
        Assert.Equal("/certs/ca.pem", source.CaCertificateFile);
        Assert.Equal("/certs/client.pem", source.ClientCertificateFile);
        Assert.Equal("/certs/client-key.pem", source.ClientKeyFile);
    }

    [Fact]
    public void EndpointsAsOneCommaSeparatedStringAreSplitAndTrimmed()
    {
        var source = SourceFrom(new() { ["Endpoints"] = "http://a.example:2379, http://b.example:2379,,", ["Prefix"] = "/app/" });

        Assert.Equal(["http://a.example:2379", "http://b.example:2379"], source.Endpoints);
    }

    [Fact]
    public void SettingsLeftOutKeepTheDefaults()
    {
        var source = SourceFrom(new() { ["Prefix"] = "/app/" });
        var defaults = new EtcdConfigurationSource();

        Assert.Equal(defaults.Endpoints, source.Endpoints);
        Assert.Equal(defaults.Optional, source.Optional);
        Assert.Equal(defaults.ReloadOnChange, source.ReloadOnChange);
        Assert.Equal(defaults.StartupTimeout, source.StartupTimeout);
        Assert.Equal(defaults.ValueFormat, source.ValueFormat);
        Assert.Null(source.Username);
    }

    [Theory]
    [InlineData("StartupTimeout", "soon")]
    [InlineData("StartupTimeout", "0")]
    [InlineData("StartupTimeout", "-00:00:05")]
    [InlineData("ValueFormat", "Yaml")]
    [InlineData("ValueFormat", "42")]
    [InlineData("Optional", "maybe")]
    [InlineData("ReloadOnChange", "yes")]
    public void ABadSettingIsAnArgumentExceptionNamingIt(string name, string value)
    {
        var settings = Settings(new() { ["Endpoints"] = "http://a.example:2379", ["Prefix"] = "/app/", ["Password"] = "pa55word", [name] = value });

        var failure = Assert.ThrowsAny<ArgumentException>(() => new ConfigurationBuilder().AddEtcd(settings));

        Assert.Contains(name, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pa55word", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingPrefixIsAnArgumentExceptionNamingIt()
    {
        var settings = Settings(new() { ["Endpoints"] = "http://a.example:2379" });

        var failure = Assert.ThrowsAny<ArgumentException>(() => new ConfigurationBuilder().AddEtcd(settings));

        Assert.Contains("Prefix", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASourceFromSettingsLoadsAndFollowsEtcd()
    {
        var p = ProviderClusterFixture.NewPrefix();
        const string Blob = """{ "Kept": "raw" }""";
        await fixture.Client.KV.PutAsync(p + "Blob", Blob);
        var settings = Settings(new()
        {
            ["Endpoints"] = string.Join(" , ", fixture.Cluster.ClientUrls),
            ["Prefix"] = p.TrimEnd('/'),
            ["StartupTimeout"] = "00:00:30",
            ["ValueFormat"] = "Raw",
        });

        using var root = (ConfigurationRoot)new ConfigurationBuilder().AddEtcd(settings).Build();

        Assert.Equal(Blob, root["Blob"]);
        await fixture.Cluster.PutAsync(p + "Blob", "[1, 2]");
        await Eventually.ValueAsync(root, "Blob", "[1, 2]");
        Assert.Null(root["Blob:0"]);
    }

    [Fact]
    public async Task ASourceFromSettingsTakesALoggerFactoryAndCallbacksInCode()
    {
        var p = ProviderClusterFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "Good", "1");
        await fixture.Client.KV.PutAsync(p + "Bad", "{\"not json");
        var settings = Settings(new()
        {
            ["Endpoints"] = string.Join(",", fixture.Cluster.ClientUrls),
            ["Prefix"] = p,
            ["StartupTimeout"] = "00:00:30",
            ["ValueFormat"] = "Json",
        });
        var logs = new FakeLogCollector();
        using var loggerFactory = logs.CreateFactory();
        var reported = new List<string?>();
        var clientConfigured = false;

        using var root = (ConfigurationRoot)new ConfigurationBuilder()
            .AddEtcd(settings, source =>
            {
                source.LoggerFactory = loggerFactory;
                source.OnLoadException = context => reported.Add(context.Key);
                source.ConfigureClient = _ => clientConfigured = true;
            })
            .Build();

        Assert.Equal("1", root["Good"]);
        Assert.True(clientConfigured);
        Assert.Equal([p + "Bad"], reported);
        Assert.Contains(logs.Lines, l => l.StartsWith("Information EtcdConfiguration.EtcdConfigurationProvider", StringComparison.Ordinal)
            && l.Contains("etcd keys under '" + p + "'", StringComparison.Ordinal) && l.Contains("1 configuration keys", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains(p + "Bad", StringComparison.Ordinal));
    }

    [Fact]
    public void TheCodeRunsAfterTheSettingsAndMayOverrideThem()
    {
        var builder = new ConfigurationBuilder().AddEtcd(
            Settings(new() { ["Prefix"] = "/from-settings/", ["Optional"] = "false" }),
            source => source.Optional = source.Prefix == "/from-settings/");

        Assert.True(Assert.IsType<EtcdConfigurationSource>(Assert.Single(builder.Sources)).Optional);
    }

    private static IConfigurationSection Settings(Dictionary<string, string?> values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.ToDictionary(e => "Etcd:" + e.Key, e => e.Value))
            .Build()
            .GetSection("Etcd");

    private static EtcdConfigurationSource SourceFrom(Dictionary<string, string?> values)
    {
        var builder = new ConfigurationBuilder().AddEtcd(Settings(values));
        return Assert.IsType<EtcdConfigurationSource>(Assert.Single(builder.Sources));
    }
}
