using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EtcdConfiguration.Tests.BadInput;

/// <summary>
/// Bad values never reach the app as exceptions and never blank other keys: the key keeps its last good value
/// (none at first load) and the failure is reported with the key's name, never its value.
/// </summary>
public sealed class BadValueTests(ProviderClusterFixture fixture) : IClassFixture<ProviderClusterFixture>
{
    private readonly string _secret = $"s3cr3t-{Guid.NewGuid():N}";

    [Fact]
    public async Task BadValuesAtFirstLoadAreSkippedAndReportedByKeyNeverByValue()
    {
        var p = ProviderClusterFixture.NewPrefix();
        var kv = fixture.Client.KV;
        await kv.PutAsync(p + "Good", "fine");
        await kv.PutAsync(p + "Db/Host", "db");
        foreach (var (name, value) in BadValues())
        {
            await kv.PutAsync(Encoding.UTF8.GetBytes(p + name), value);
        }

        await kv.PutAsync(Key(p, [0xFF, (byte)'/', (byte)'X']), Encoding.UTF8.GetBytes("a key named with invalid UTF-8"));
        var failures = new ConcurrentQueue<EtcdLoadExceptionContext>();
        var logs = new FakeLogCollector();
        using var loggerFactory = logs.CreateFactory();

        using var root = fixture.Build(p, source =>
        {
            source.OnLoadException = failures.Enqueue;
            source.LoggerFactory = loggerFactory;
        });

        Assert.Equal([P("Db", null), P("Db:Host", "db"), P("Good", "fine")], Pairs(root));
        var provider = root.Providers.OfType<EtcdConfigurationProvider>().Single();
        Assert.All(failures, f => Assert.Same(provider, f.Provider));
        Assert.Equal(
            BadValues().Select(b => p + b.Name).Order(StringComparer.Ordinal),
            failures.Select(f => f.Key).Where(k => k is not null && !k.Contains("/X", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        var badName = Assert.Single(failures, f => f.Key?.EndsWith("/X", StringComparison.Ordinal) == true);
        Assert.StartsWith(p, badName.Key, StringComparison.Ordinal);

        foreach (var failure in failures)
        {
            Assert.Contains(failure.Key!, failure.Exception.Message, StringComparison.Ordinal);
            AssertNoSecret(failure.Exception);
        }

        Assert.DoesNotContain(logs.Lines, line => line.Contains(_secret, StringComparison.Ordinal));
        foreach (var (name, _) in BadValues())
        {
            Assert.Contains(logs.Lines, line => line.Contains(p + name, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ABadValueLaterKeepsTheKeysLastGoodValueAndNeverBlanksOthers()
    {
        var p = ProviderClusterFixture.NewPrefix();
        var kv = fixture.Client.KV;
        var key = p + "Db";
        await kv.PutAsync(key, """{ "Host": "good-1", "Port": 1 }""");
        await kv.PutAsync(p + "Other", "o");
        var failures = new ConcurrentQueue<EtcdLoadExceptionContext>();
        var logs = new FakeLogCollector();
        using var loggerFactory = logs.CreateFactory();
        using var root = fixture.Build(p, source =>
        {
            source.OnLoadException = failures.Enqueue;
            source.LoggerFactory = loggerFactory;
        });
        var services = new ServiceCollection();
        services.Configure<DbOptions>(root.GetSection("Db"));
        await using var provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<IOptionsMonitor<DbOptions>>();
        Assert.Equal("good-1", monitor.CurrentValue.Host);

        var reported = 0;
        foreach (var (name, value) in BadValues())
        {
            await kv.PutAsync(Encoding.UTF8.GetBytes(key), value);
            reported++;
            await Eventually.TrueAsync(() => failures.Count(f => f.Key == key) == reported, $"the {name} value at {key} is reported");
            Assert.Equal([P("Db", null), P("Db:Host", "good-1"), P("Db:Port", "1"), P("Other", "o")], Pairs(root));
            Assert.Equal(("good-1", 1), (monitor.CurrentValue.Host, monitor.CurrentValue.Port));
        }

        // A key that is bad from its first write contributes nothing; the others stay.
        await kv.PutAsync(Encoding.UTF8.GetBytes(p + "NewBad"), BadValues().First().Value);
        await Eventually.TrueAsync(() => failures.Any(f => f.Key == p + "NewBad"), "the new bad key is reported");
        Assert.False(root.GetSection("NewBad").Exists());

        // A good value replaces the kept one; a delete removes the key's contribution.
        await kv.PutAsync(key, """{ "Host": "good-2" }""");
        await Eventually.ValueAsync(root, "Db:Host", "good-2");
        Assert.Null(root["Db:Port"]);
        await Eventually.TrueAsync(() => monitor.CurrentValue.Host == "good-2", "the options follow the good value");
        await kv.PutAsync(Encoding.UTF8.GetBytes(key), BadValues().First().Value);
        await Eventually.TrueAsync(() => failures.Count(f => f.Key == key) == reported + 1, "the last bad value is reported");
        await kv.DeleteAsync(key);
        await Eventually.ValueAsync(root, "Db:Host", null);
        Assert.Equal([P("Other", "o")], Pairs(root));

        foreach (var failure in failures)
        {
            Assert.Contains(failure.Key!, failure.Exception.Message, StringComparison.Ordinal);
            AssertNoSecret(failure.Exception);
        }

        Assert.DoesNotContain(logs.Lines, line => line.Contains(_secret, StringComparison.Ordinal));
    }

    /// <summary>Values that must be skipped; every one carries the secret where it can.</summary>
    private IEnumerable<(string Name, byte[] Value)> BadValues()
    {
        yield return ("UnparsableJson", Encoding.UTF8.GetBytes($$"""{ "Password": "{{_secret}}", "Next": """));
        yield return ("InvalidUtf8", [.. Encoding.UTF8.GetBytes($"{{ \"Password\": \"{_secret}"), 0xC3, 0x28, .. "\" }"u8]);
        yield return ("TooDeep", Encoding.UTF8.GetBytes(new string('[', 10_000) + $"\"{_secret}\"" + new string(']', 10_000)));
    }

    private static byte[] Key(string prefix, byte[] tail) => [.. Encoding.UTF8.GetBytes(prefix), .. tail];

    private void AssertNoSecret(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            Assert.DoesNotContain(_secret, e.Message, StringComparison.Ordinal);
        }
    }

    private static KeyValuePair<string, string?> P(string key, string? value) => new(key, value);

    private static List<KeyValuePair<string, string?>> Pairs(IConfiguration configuration) =>
        configuration.AsEnumerable().OrderBy(e => e.Key, StringComparer.OrdinalIgnoreCase).ToList();
}
