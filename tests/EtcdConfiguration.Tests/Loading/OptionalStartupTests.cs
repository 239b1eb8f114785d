using System.Diagnostics;
using EtcdConfiguration.Client;
using EtcdConfiguration.Testing;
using Microsoft.Extensions.Configuration;
using Xunit.Abstractions;

namespace EtcdConfiguration.Tests.Loading;

/// <summary>
/// An optional source costs nothing when etcd is absent (as <c>AddJsonFile(optional: true)</c> without the file):
/// against an endpoint that refuses or a host name that does not resolve, the app starts at once, empty, with a
/// clean message; a required source still waits its whole <see cref="EtcdConfigurationSource.StartupTimeout"/>.
/// </summary>
public sealed class OptionalStartupTests(ITestOutputHelper output)
{
    /// <summary>
    /// Far longer than any test may wait: an optional source that waited for it (as it did before) fails the bound
    /// below, while one that waits its short first attempt passes however loaded the machine.
    /// </summary>
    private static readonly TimeSpan LongStartupTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Generous for a one-second first attempt on a loaded machine; a tenth of <see cref="LongStartupTimeout"/>.</summary>
    private static readonly TimeSpan BuildBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_optional_source_on_a_refused_endpoint_starts_empty_at_once_with_a_clean_message()
    {
        using var refused = new RefusedEndpoint();

        var (root, elapsed) = await BuildOptionalAsync(refused.Url);
        using var disposeRoot = root;

        output.WriteLine($"Build() with an optional source on a refused endpoint took {elapsed.TotalMilliseconds:0} ms.");
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        Assert.Empty(root.AsEnumerable());
        Assert.Equal(EtcdConfigurationState.Failed, provider.Status.State);
        AssertCleanMessage(provider.Status.LastError, refused.Url);
    }

    [Fact]
    public async Task An_optional_source_on_a_host_name_that_does_not_resolve_starts_empty_at_once()
    {
        // .invalid never resolves (RFC 2606).
        const string endpoint = "http://etcd.first-hour.invalid:2379";

        var (root, elapsed) = await BuildOptionalAsync(endpoint);
        using var disposeRoot = root;

        output.WriteLine($"Build() with an optional source on an unresolvable host took {elapsed.TotalMilliseconds:0} ms.");
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        Assert.Empty(root.AsEnumerable());
        Assert.Equal(EtcdConfigurationState.Failed, provider.Status.State);
        AssertCleanMessage(provider.Status.LastError, endpoint);
    }

    [Fact]
    public async Task An_optional_source_that_started_empty_fills_in_when_etcd_answers()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 1 });
        await cluster.PutAsync("/late/Feature", "on");
        await cluster.Members[0].KillAsync();

        var (root, _) = await BuildOptionalAsync(cluster.Endpoints);
        using var disposeRoot = root;
        Assert.Null(root["Feature"]);

        await cluster.Members[0].RestartAsync();

        await Eventually.ValueAsync(root, "Feature", "on");
        await cluster.PutAsync("/late/Feature", "off");
        await Eventually.ValueAsync(root, "Feature", "off");
    }

    [Fact]
    public async Task A_required_source_waits_its_whole_startup_timeout_and_says_so_in_a_whole_sentence()
    {
        using var refused = new RefusedEndpoint();
        var startupTimeout = TimeSpan.FromSeconds(2);
        var started = Stopwatch.GetTimestamp();

        var failure = Assert.Throws<EtcdException>(() => new ConfigurationBuilder()
            .AddEtcd(source =>
            {
                source.Endpoints = [refused.Url];
                source.Prefix = "/required";
                source.StartupTimeout = startupTimeout;
            })
            .Build());

        // A lower bound only: the short first attempt of optional sources (1 s) must not reach required ones. Timers
        // run on a coarse clock (Linux's jiffies) and may fire a few milliseconds before the stopwatch says.
        var elapsed = Stopwatch.GetElapsedTime(started);
        Assert.True(elapsed >= startupTimeout - TimeSpan.FromMilliseconds(100), $"a required source gave up after {elapsed.TotalMilliseconds:0} ms, before its startup timeout");
        // The startup timeout and the dial timeout (the provider dials for as long) end together; either says 2 s.
        Assert.Contains(" timeout of 2 s", failure.Message, StringComparison.Ordinal);
        Assert.Contains("; last error: ", failure.Message, StringComparison.Ordinal);
        AssertCleanMessage(failure.Message, refused.Url);
    }

    [Fact]
    public void The_dial_timeout_message_gives_the_dial_timeout_in_force()
    {
        using var refused = new RefusedEndpoint();

        var failure = Assert.Throws<EtcdException>(() => new ConfigurationBuilder()
            .AddEtcd(source =>
            {
                source.Endpoints = [refused.Url];
                source.Prefix = "/dial";
                source.StartupTimeout = TestTimeouts.EtcdAnswers;
                source.ConfigureClient = options => options.DialTimeout = TimeSpan.FromSeconds(1.5);
            })
            .Build());

        Assert.Contains("within the dial timeout of 1.5 s (DialTimeout); last error: ", failure.Message, StringComparison.Ordinal);
        AssertCleanMessage(failure.Message, refused.Url);
    }

    private static async Task<(ConfigurationRoot Root, TimeSpan Elapsed)> BuildOptionalAsync(string endpoints)
    {
        var started = Stopwatch.GetTimestamp();
        var build = Task.Run(() => (ConfigurationRoot)new ConfigurationBuilder()
            .AddEtcd(source =>
            {
                source.Endpoints = EtcdClient.SplitEndpoints(endpoints);
                source.Prefix = "/late";
                source.Optional = true;
                source.StartupTimeout = LongStartupTimeout;
            })
            .Build());
        var root = await Eventually.WithinAsync(build, "Build() returns without waiting for the startup timeout", BuildBound);
        return (root, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Whole sentences naming the endpoint and the gRPC status, without gRPC's debug dump.</summary>
    private static void AssertCleanMessage(string? message, string endpoint)
    {
        Assert.NotNull(message);
        Assert.Contains(endpoint, message, StringComparison.Ordinal);
        Assert.Contains("Unavailable", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Status(", message, StringComparison.Ordinal);
        Assert.DoesNotContain("DebugException", message, StringComparison.Ordinal);
        Assert.EndsWith(".", message, StringComparison.Ordinal);
        Assert.DoesNotContain("..", message, StringComparison.Ordinal);
    }
}
