using System.Collections.Concurrent;
using EtcdConfiguration.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Tests.Security;

/// <summary>
/// The provider against an etcd with authentication on: a read-only user follows changes, expired tokens are
/// replaced without losing a change, and a wrong password or a missing permission fails saying whose and where,
/// never showing the password.
/// </summary>
public sealed class ProviderAuthTests(ProviderAuthFixture fixture) : IClassFixture<ProviderAuthFixture>
{
    private const string WrongPassword = "wrong-Pw-6j1n0";

    [Fact]
    public async Task A_user_who_may_only_read_the_prefix_loads_it_and_follows_every_change()
    {
        var prefix = ProviderAuthFixture.NewPrefix();
        await fixture.Cluster.PutAsync(prefix + "Db/Host", "db-1");
        await fixture.Cluster.PutAsync(prefix + "Db/Port", "5432");
        await fixture.Cluster.PutAsync(prefix + "Old/Flag", "on");

        using var root = fixture.Build(prefix, ProviderAuthFixture.Reader, ProviderAuthFixture.ReaderPassword);
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        (await SecuredEtcdContents.ReadAsync(fixture.Cluster, prefix)).AssertEqual(root);

        await using (var writer = await fixture.ConnectWriterAsync())
        {
            await writer.KV.PutAsync(prefix + "Db/Host", "db-2");
            await writer.KV.DeleteAsync(prefix + "Old/Flag");
            await writer.KV.PutAsync(prefix + "Db/Pool/Size", "20");
        }

        await fixture.Cluster.PutAsync(prefix + "Feature/Beta", "true");

        var expected = await SecuredEtcdContents.ReadAsync(fixture.Cluster, prefix);
        await Eventually.TrueAsync(() => provider.Revision >= expected.LastModRevision, $"the provider reached revision {expected.LastModRevision} (it is at {provider.Revision})");
        expected.AssertEqual(root);
        Assert.Equal(expected.LastModRevision, provider.Revision);
        Assert.Equal(4, expected.Pairs.Count); // Db:Host, Db:Port, Db:Pool:Size, Feature:Beta; Old:Flag deleted.
        Assert.Null(root["Old:Flag"]);
        Assert.Null(provider.Status.LastError);
    }

    [Fact]
    public async Task Expired_tokens_are_replaced_and_no_change_is_lost()
    {
        const int changes = 20;
        var ttl = TimeSpan.FromSeconds(ProviderAuthFixture.TokenTtlSeconds);
        var prefix = ProviderAuthFixture.NewPrefix();
        await fixture.Cluster.PutAsync(prefix + "Start", "yes");
        var logs = new FakeLogCollector();
        using var loggerFactory = logs.CreateFactory();
        using var root = fixture.Build(
            prefix,
            ProviderAuthFixture.Reader,
            ProviderAuthFixture.ReaderPassword,
            source => source.LoggerFactory = loggerFactory);
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();

        // The fault injected is time itself: only an idle token expires, so the provider's token is left unused for
        // three lifetimes, then the prefix is re-read with it.
        await Task.Delay(3 * ttl);
        root.Reload();
        Assert.Contains(logs.Lines, line => line.Contains("rejected the authentication token", StringComparison.Ordinal));

        using var reloads = new ReloadRecorder(root);
        for (var i = 1; i <= changes; i++)
        {
            await fixture.Cluster.PutAsync($"{prefix}Changes/{i:00}", $"v{i}");
            await Eventually.ValueAsync(root, $"Changes:{i:00}", $"v{i}");

            // Spread the changes over more than 6 s, with a pause longer than a token's life every fifth one.
            await Task.Delay(i % 5 == 0 ? ttl + TimeSpan.FromMilliseconds(500) : TimeSpan.FromMilliseconds(150));
        }

        var expected = await SecuredEtcdContents.ReadAsync(fixture.Cluster, prefix);
        await Eventually.TrueAsync(() => reloads.Count >= changes, $"{changes} reloads were signalled (there were {reloads.Count})");
        expected.AssertEqual(root);
        Assert.Equal(changes + 1, expected.Pairs.Count);
        Assert.Equal(changes, reloads.Count);
        Assert.Equal(expected.LastModRevision, provider.Revision);
        Assert.Null(provider.Status.LastError);
        Assert.DoesNotContain(logs.Lines, line => line.StartsWith(nameof(LogLevel.Error), StringComparison.Ordinal) || line.StartsWith(nameof(LogLevel.Critical), StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains(ProviderAuthFixture.ReaderPassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_required_source_with_a_wrong_password_fails_naming_the_user_and_endpoint_but_never_the_password()
    {
        var prefix = ProviderAuthFixture.NewPrefix();
        var logs = new FakeLogCollector();
        using var loggerFactory = logs.CreateFactory();
        var reported = new ConcurrentQueue<EtcdLoadExceptionContext>();

        var build = Task.Run(() => fixture.Build(prefix, ProviderAuthFixture.Reader, WrongPassword, source =>
        {
            source.LoggerFactory = loggerFactory;
            source.OnLoadException = reported.Enqueue;
        }));
        var failure = await Assert.ThrowsAsync<EtcdException>(() => Eventually.WithinAsync(build, "Build() ended"));

        Assert.Contains($"'{ProviderAuthFixture.Reader}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains(fixture.Endpoints[0], failure.Message, StringComparison.Ordinal);
        Assert.Contains("authentication failed", failure.Message, StringComparison.Ordinal);
        Assert.Same(failure, Assert.Single(reported).Exception);
        AssertNeverShown(WrongPassword, failure, logs);
    }

    [Fact]
    public async Task An_optional_source_with_a_wrong_password_starts_empty_and_says_whose_login_failed()
    {
        var prefix = ProviderAuthFixture.NewPrefix();
        await fixture.Cluster.PutAsync(prefix + "Secret/Value", "never-loaded");
        var logs = new FakeLogCollector();
        using var loggerFactory = logs.CreateFactory();
        var reported = new ConcurrentQueue<EtcdLoadExceptionContext>();

        using var root = fixture.Build(prefix, ProviderAuthFixture.Reader, WrongPassword, source =>
        {
            source.Optional = true;
            source.LoggerFactory = loggerFactory;
            source.OnLoadException = reported.Enqueue;
        });
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        Assert.Contains($"'{ProviderAuthFixture.Reader}'", provider.Status.LastError, StringComparison.Ordinal);

        // The background retries fail the same way and load nothing.
        await Eventually.TrueAsync(() => reported.Count >= 3, $"three failed loads were reported (there were {reported.Count})");
        Assert.Empty(ConfigurationView.Values(root));
        Assert.Equal(0, provider.Revision);
        Assert.Contains($"'{ProviderAuthFixture.Reader}'", provider.Status.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongPassword, provider.Status.LastError, StringComparison.Ordinal);
        foreach (var context in reported)
        {
            Assert.Contains($"'{ProviderAuthFixture.Reader}'", context.Exception.Message, StringComparison.Ordinal);
            AssertNeverShown(WrongPassword, context.Exception, logs);
        }
    }

    [Fact]
    public async Task A_required_source_whose_user_may_not_read_the_prefix_fails_naming_the_user_and_the_prefix()
    {
        var prefix = ProviderAuthFixture.NewPrefix();
        await fixture.Cluster.PutAsync(prefix + "Hidden", "no");
        var logs = new FakeLogCollector();
        using var loggerFactory = logs.CreateFactory();
        var reported = new ConcurrentQueue<EtcdLoadExceptionContext>();

        var build = Task.Run(() => fixture.Build(prefix, ProviderAuthFixture.Outsider, ProviderAuthFixture.OutsiderPassword, source =>
        {
            source.LoggerFactory = loggerFactory;
            source.OnLoadException = reported.Enqueue;
        }));
        var failure = await Assert.ThrowsAsync<EtcdException>(() => Eventually.WithinAsync(build, "Build() ended"));

        AssertNamesUserAndPrefix(failure, prefix);
        Assert.IsType<EtcdPermissionDeniedException>(failure.InnerException);
        Assert.Same(failure, Assert.Single(reported).Exception);
        AssertNeverShown(ProviderAuthFixture.OutsiderPassword, failure, logs);
    }

    [Fact]
    public async Task An_optional_source_whose_user_may_not_read_the_prefix_keeps_saying_whose_and_where()
    {
        var prefix = ProviderAuthFixture.NewPrefix();
        await fixture.Cluster.PutAsync(prefix + "Hidden", "no");
        var logs = new FakeLogCollector();
        using var loggerFactory = logs.CreateFactory();
        var reported = new ConcurrentQueue<EtcdLoadExceptionContext>();

        using var root = fixture.Build(prefix, ProviderAuthFixture.Outsider, ProviderAuthFixture.OutsiderPassword, source =>
        {
            source.Optional = true;
            source.LoggerFactory = loggerFactory;
            source.OnLoadException = reported.Enqueue;
        });
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();

        // The first failure comes from Load(), the later ones from the background retries: all must say it.
        await Eventually.TrueAsync(() => reported.Count >= 3, $"three failed loads were reported (there were {reported.Count})");
        Assert.Empty(ConfigurationView.Values(root));
        Assert.Equal(0, provider.Revision);
        var lastError = provider.Status.LastError;
        Assert.NotNull(lastError);
        Assert.Contains($"'{ProviderAuthFixture.Outsider}'", lastError, StringComparison.Ordinal);
        Assert.Contains(prefix, lastError, StringComparison.Ordinal);
        Assert.Contains(logs.Lines, line => line.StartsWith(nameof(LogLevel.Warning), StringComparison.Ordinal)
            && line.Contains($"'{ProviderAuthFixture.Outsider}'", StringComparison.Ordinal)
            && line.Contains(prefix, StringComparison.Ordinal));
        foreach (var context in reported)
        {
            AssertNamesUserAndPrefix(context.Exception, prefix);
            AssertNeverShown(ProviderAuthFixture.OutsiderPassword, context.Exception, logs);
        }
    }

    private static void AssertNamesUserAndPrefix(Exception failure, string prefix)
    {
        Assert.Contains($"'{ProviderAuthFixture.Outsider}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains(prefix, failure.Message, StringComparison.Ordinal);
        Assert.Contains("permission", failure.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static void AssertNeverShown(string password, Exception failure, FakeLogCollector logs)
    {
        Assert.DoesNotContain(password, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, line => line.Contains(password, StringComparison.Ordinal));
    }
}
