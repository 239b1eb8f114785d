using System.Collections.Concurrent;
using EtcdConfiguration.Client;
using EtcdConfiguration.Sync;
using EtcdConfiguration.Testing;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tests.Loading;

/// <summary>What a source does when etcd cannot be reached at startup: required fails, ignored or optional starts empty.</summary>
public sealed class StartupFailureTests
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Bounds a build that must end on its own after <see cref="StartupTimeout"/>.</summary>
    private static readonly TimeSpan BuildBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ARequiredSourceWithNothingListeningThrowsNamingTheEndpoint()
    {
        using var refused = new RefusedEndpoint();
        var endpoint = refused.Url;
        var build = Task.Run(() => new ConfigurationBuilder()
            .AddEtcd(source =>
            {
                source.Endpoints = [endpoint];
                source.Prefix = "/app/";
                source.StartupTimeout = StartupTimeout;
                source.Username = "app";
                source.Password = "pa55word-never-shown";
            })
            .Build());

        await Task.WhenAny(build, Task.Delay(BuildBound));
        Assert.True(build.IsCompleted, $"Build() did not end within {BuildBound.TotalSeconds} s with a startup timeout of {StartupTimeout.TotalSeconds} s.");
        var failure = Assert.IsAssignableFrom<EtcdException>(build.Exception?.InnerException);
        Assert.Contains(endpoint, failure.Message, StringComparison.Ordinal);
        Assert.Contains("/app/", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pa55word", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARequiredSourceThatFailsToLoadReleasesItsClient()
    {
        // Nobody can dispose a provider whose first Load() threw (no configuration root holds it), so it must let
        // go of its pooled client itself.
        EtcdConfigurationSource? source = null;
        using var refused = new RefusedEndpoint();
        var endpoint = refused.Url;
        var build = Task.Run(() => new ConfigurationBuilder()
            .AddEtcd(s =>
            {
                source = s;
                s.Endpoints = [endpoint];
                s.Prefix = "/app/";
                s.StartupTimeout = StartupTimeout;
            })
            .Build());

        await Task.WhenAny(build, Task.Delay(BuildBound));
        Assert.True(build.IsFaulted, "Build() failed");
        Assert.Equal(0, EtcdClientPool.ReferencesTo(source!));
    }

    [Fact]
    public async Task ARequiredSourceWhoseLoadFailsStartsEmptyWhenOnLoadExceptionIgnoresIt()
    {
        using var refused = new RefusedEndpoint();
        var endpoint = refused.Url;
        var failures = new ConcurrentQueue<EtcdLoadExceptionContext>();
        var build = Task.Run(() => (ConfigurationRoot)new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Other"] = "memory" })
            .AddEtcd(source =>
            {
                source.Endpoints = [endpoint];
                source.Prefix = "/app/";
                source.StartupTimeout = StartupTimeout;
                source.OnLoadException = context =>
                {
                    failures.Enqueue(context);
                    context.Ignore = true;
                };
            })
            .Build());

        using var root = await Eventually.WithinAsync(build, "Build() returns", BuildBound);
        Assert.Equal([new KeyValuePair<string, string?>("Other", "memory")], root.AsEnumerable());
        var first = failures.First();
        Assert.Null(first.Key);
        Assert.Contains(endpoint, first.Exception.Message, StringComparison.Ordinal);
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        Assert.Same(provider, first.Provider);
        Assert.Equal(0, provider.Revision);

        root.Dispose();
        Assert.True(provider.BackgroundWork.IsCompleted, "the background retries ended with Dispose");
    }

    [Fact]
    public async Task AnOptionalSourceStartsEmptyAndFillsInWhenEtcdComesBack()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { Members = 1 });
        await cluster.PutAsync("/app/Db/Host", "db");
        await cluster.PutAsync("/app/Db/Port", "5432");
        await cluster.Members[0].KillAsync();

        var build = Task.Run(() => (ConfigurationRoot)new ConfigurationBuilder()
            .AddEtcd(source =>
            {
                source.Endpoints = EtcdClient.SplitEndpoints(cluster.Endpoints);
                source.Prefix = "/app";
                source.Optional = true;
                source.StartupTimeout = StartupTimeout;

                // The first load fails after the short startup timeout; the background retries must connect once
                // etcd is back, however loaded the machine, so the client's dial timeout is generous.
                source.ConfigureClient = options => options.DialTimeout = TestTimeouts.EtcdAnswers;
            })
            .Build());
        using var root = await Eventually.WithinAsync(build, "Build() returns", BuildBound);
        Assert.Empty(root.AsEnumerable());
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        Assert.Equal(0, provider.Revision);
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        root.GetReloadToken().RegisterChangeCallback(_ => reloaded.TrySetResult(), null);

        await cluster.Members[0].RestartAsync();

        await Eventually.WithinAsync(reloaded.Task, "the configuration reloads once etcd answers");
        Assert.Equal("db", root["Db:Host"]);
        Assert.Equal("5432", root["Db:Port"]);
        Assert.Equal(await cluster.GetRevisionAsync(), provider.Revision);

        // After the late load the watch runs as usual.
        await cluster.PutAsync("/app/Db/Host", "db-2");
        await Eventually.ValueAsync(root, "Db:Host", "db-2");
    }

}
