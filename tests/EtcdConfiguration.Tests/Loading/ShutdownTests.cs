using System.Diagnostics;
using EtcdConfiguration.Client;
using EtcdConfiguration.Testing;
using Microsoft.Extensions.Configuration;
using Xunit.Abstractions;

namespace EtcdConfiguration.Tests.Loading;

/// <summary>
/// Host shutdown disposes the configuration root; that must return promptly whether etcd is up, gone, frozen or
/// was never reached, and no background work may outlive it.
/// </summary>
public sealed class ShutdownTests(ITestOutputHelper output)
{
    /// <summary>
    /// Not a performance figure but the line between the two behaviours: Dispose used to wait up to 10 s for the
    /// sync loop; it now waits at most 1 s, so 5 s leaves room for a loaded machine and still fails the old wait.
    /// </summary>
    private static readonly TimeSpan DisposeBound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Disposing_returns_promptly_while_etcd_is_up()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 1 });
        var (root, provider) = await BuildLiveAsync(cluster);

        await DisposeAsync(root, provider, "etcd up");
    }

    [Fact]
    public async Task Disposing_returns_promptly_while_etcd_is_down()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 1 });
        var (root, provider) = await BuildLiveAsync(cluster);
        await cluster.Members[0].KillAsync();
        await Eventually.TrueAsync(() => provider.Status.State == EtcdConfigurationState.Reconnecting, "the provider notices etcd is gone");

        await DisposeAsync(root, provider, "etcd down");
    }

    [Fact]
    public async Task Disposing_returns_promptly_while_etcd_is_frozen()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 1 });
        var (root, provider) = await BuildLiveAsync(cluster);
        cluster.Members[0].Pause();
        try
        {
            // A reload against the frozen member hangs in a Range call; shutdown must not wait for it.
            var reload = Task.Run(root.Reload);

            await DisposeAsync(root, provider, "etcd frozen");
            await Eventually.WithinAsync(reload.ContinueWith(_ => { }, TaskScheduler.Default), "the hung reload ends with the dispose");
        }
        finally
        {
            cluster.Members[0].Resume();
        }
    }

    [Fact]
    public async Task Disposing_returns_promptly_while_an_optional_source_still_dials_an_endpoint_that_refuses()
    {
        using var refused = new RefusedEndpoint();
        var root = (ConfigurationRoot)new ConfigurationBuilder()
            .AddEtcd(source =>
            {
                source.Endpoints = [refused.Url];
                source.Prefix = "/shutdown";
                source.Optional = true;
                source.StartupTimeout = TimeSpan.FromMinutes(5);
            })
            .Build();
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        Assert.False(provider.BackgroundWork.IsCompleted);

        await DisposeAsync(root, provider, "etcd never reached");
    }

    private static async Task<(ConfigurationRoot Root, EtcdConfigurationProvider Provider)> BuildLiveAsync(EtcdCluster cluster)
    {
        await cluster.PutAsync("/shutdown/Key", "1");
        var root = (ConfigurationRoot)new ConfigurationBuilder()
            .AddEtcd(source =>
            {
                source.Endpoints = EtcdClient.SplitEndpoints(cluster.Endpoints);
                source.Prefix = "/shutdown";
                source.StartupTimeout = TestTimeouts.EtcdAnswers;
            })
            .Build();
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        Assert.Equal("1", root["Key"]);
        await Eventually.TrueAsync(() => provider.Status.WatchEndpoint is not null, "the watch stream is open");
        return (root, provider);
    }

    private async Task DisposeAsync(ConfigurationRoot root, EtcdConfigurationProvider provider, string situation)
    {
        var started = Stopwatch.GetTimestamp();
        var dispose = Task.Run(root.Dispose);

        await Eventually.WithinAsync(dispose, $"Dispose returns ({situation})", DisposeBound);
        output.WriteLine($"Dispose with {situation} took {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms.");

        // Nothing outlives it: the background loop ends (a network call it was in ends with the token).
        await Eventually.TrueAsync(() => provider.BackgroundWork.IsCompleted, $"the background work ends after Dispose ({situation})");
    }
}
