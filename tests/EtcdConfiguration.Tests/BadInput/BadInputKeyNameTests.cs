using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tests.BadInput;

/// <summary>
/// Awkward key names (empty segments, a trailing '/', ':' inside a segment, unicode, spaces, the prefix key itself)
/// take the mapping the README defines, alike at the first load and through the watch: put, changed, deleted and
/// put again. Each test counts what the app sees against what etcd holds.
/// </summary>
public sealed class BadInputKeyNameTests(ProviderClusterFixture fixture) : IClassFixture<ProviderClusterFixture>
{
    /// <summary>etcd key (after the prefix) and the configuration key the README maps it to.</summary>
    private static readonly (string EtcdKey, string ConfigKey)[] s_names =
    [
        ("a//b", "a:b"),
        ("t/", "t"),
        ("c:d", "c:d"),
        ("ключ/値/😀", "ключ:値:😀"),
        ("my key/x y", "my key:x y"),
        (" lead /  trail  ", " lead :  trail  "),
        ("///deep////er///", "deep:er"),
        ("e::f", "e::f"),
        ("tab\there/new\nline", "tab\there:new\nline"),
    ];

    private int _marker;

    [Fact]
    public async Task AwkwardNamesMapAsTheReadmeDefinesAtLoadAndThroughTheWatch()
    {
        var p = ProviderClusterFixture.NewPrefix();
        var kv = fixture.Client.KV;
        foreach (var (etcdKey, _) in s_names)
        {
            await kv.PutAsync(p + etcdKey, "v1:" + etcdKey);
        }

        // The prefix key itself with an empty value is a "directory" key: it contributes nothing and is no error.
        await kv.PutAsync(p, string.Empty);
        var failures = new ConcurrentQueue<EtcdLoadExceptionContext>();
        using var root = fixture.Build(p, source => source.OnLoadException = failures.Enqueue);
        var provider = ConfigurationView.Provider(root);

        var expected = s_names.ToDictionary(n => n.ConfigKey, n => "v1:" + n.EtcdKey);
        await AssertSeesAsync(root, p, expected, etcdKeys: s_names.Length + 1, "at the first load");
        Assert.Empty(failures);
        Assert.Empty(provider.Status.SkippedKeys);
        Assert.Equal("ключ", Assert.Single(root.GetChildren(), c => c.Key == "ключ").Key);
        Assert.Equal("v1:ключ/値/😀", root.GetSection("КЛЮЧ").GetSection("値")["😀"]);
        Assert.Equal("v1:my key/x y", root.GetSection("my key")["x y"]);

        // Changed through the watch.
        foreach (var (etcdKey, configKey) in s_names)
        {
            await kv.PutAsync(p + etcdKey, "v2:" + etcdKey);
            expected[configKey] = "v2:" + etcdKey;
        }

        await AssertSeesAsync(root, p, expected, etcdKeys: s_names.Length + 1, "after every key changed");

        // Two etcd keys naming the same configuration key with as many segments: the ordinally greater etcd key
        // wins ("a/b" > "a//b", "t/" > "t"); deleting the winner reveals the other.
        await kv.PutAsync(p + "a/b", "single slash");
        await kv.PutAsync(p + "t", "no slash");
        expected["a:b"] = "single slash";
        await AssertSeesAsync(root, p, expected, etcdKeys: s_names.Length + 3, "after keys that collide with 'a//b' and 't/'");
        await kv.DeleteAsync(p + "a/b");
        await kv.DeleteAsync(p + "t/");
        expected["a:b"] = "v2:a//b";
        expected["t"] = "no slash";
        await AssertSeesAsync(root, p, expected, etcdKeys: s_names.Length + 1, "after the winners were deleted");
        await kv.DeleteAsync(p + "t");
        await kv.PutAsync(p + "t/", "v2:t/");
        expected["t"] = "v2:t/";

        // The prefix key: a JSON document there is flattened at the root; a plain value there is reported and skipped,
        // keeping its last good contribution; "prefix + /" is the root too and, ordinally greater, wins over it.
        await kv.PutAsync(p, """{ "Root": "r1" }""");
        expected["Root"] = "r1";
        await AssertSeesAsync(root, p, expected, etcdKeys: s_names.Length + 1, "after a JSON document at the prefix key");
        await kv.PutAsync(p, "plain text has no configuration key");
        await Eventually.TrueAsync(() => failures.Any(f => f.Key == p), "the plain value at the prefix key is reported");
        await ProviderWaits.StatusCaughtUpAsync(provider);
        Assert.Equal([p], provider.Status.SkippedKeys);
        await AssertSeesAsync(root, p, expected, etcdKeys: s_names.Length + 1, "after a plain value at the prefix key");
        await kv.PutAsync(p + "/", """{ "Root": "r2", "Other": "o" }""");
        expected["Root"] = "r2";
        expected["Other"] = "o";
        await AssertSeesAsync(root, p, expected, etcdKeys: s_names.Length + 2, "after a document at prefix + '/'");
        await kv.DeleteAsync(p + "/");
        expected["Root"] = "r1";
        expected.Remove("Other");
        await AssertSeesAsync(root, p, expected, etcdKeys: s_names.Length + 1, "after prefix + '/' was deleted");
        await kv.DeleteAsync(p);
        expected.Remove("Root");
        await AssertSeesAsync(root, p, expected, etcdKeys: s_names.Length, "after the prefix key was deleted");
        Assert.Empty(provider.Status.SkippedKeys);
        Assert.Equal([p], failures.Select(f => f.Key).Distinct());

        // Deleted through the watch, then put again: the same mapping as at the first load.
        foreach (var (etcdKey, configKey) in s_names)
        {
            await kv.DeleteAsync(p + etcdKey);
            expected.Remove(configKey);
        }

        await AssertSeesAsync(root, p, expected, etcdKeys: 0, "after every key was deleted");
        foreach (var (etcdKey, configKey) in s_names)
        {
            await kv.PutAsync(p + etcdKey, "v1:" + etcdKey);
            expected[configKey] = "v1:" + etcdKey;
        }

        await AssertSeesAsync(root, p, expected, etcdKeys: s_names.Length, "after every key was put again");
        Assert.Empty(provider.Status.SkippedKeys);
        Assert.Equal((await ConfigurationView.EtcdCountAsync(fixture.Client, p)).Revision, provider.Revision);
    }

    [Fact]
    public async Task KeysThatArriveOnlyThroughTheWatchMapAsAtTheFirstLoad()
    {
        var p = ProviderClusterFixture.NewPrefix();
        using var root = fixture.Build(p);
        var provider = ConfigurationView.Provider(root);
        Assert.Empty(ConfigurationView.Values(root));

        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (etcdKey, configKey) in s_names)
        {
            await fixture.Client.KV.PutAsync(p + etcdKey, etcdKey);
            expected[configKey] = etcdKey;
        }

        await AssertSeesAsync(root, p, expected, etcdKeys: s_names.Length, "after every key arrived through the watch");

        using var loaded = fixture.Build(p);
        Assert.Equal(ConfigurationView.Values(root), ConfigurationView.Values(loaded));
        Assert.Empty(provider.Status.SkippedKeys);
    }

    [Fact]
    public async Task AKeyNamedWithInvalidUtf8IsReportedSkippedUntilItIsDeleted()
    {
        var p = ProviderClusterFixture.NewPrefix();
        var kv = fixture.Client.KV;
        byte[] loadedBad = [.. Encoding.UTF8.GetBytes(p + "at-load/"), 0xFF];
        byte[] watchedBad = [.. Encoding.UTF8.GetBytes(p + "by-watch/"), 0xC3, 0x28];
        await kv.PutAsync(p + "Good", "fine");
        await kv.PutAsync(loadedBad, "v"u8.ToArray());
        var failures = new ConcurrentQueue<EtcdLoadExceptionContext>();
        using var root = fixture.Build(p, source => source.OnLoadException = failures.Enqueue);
        var provider = ConfigurationView.Provider(root);
        var expected = new Dictionary<string, string>(StringComparer.Ordinal) { ["Good"] = "fine" };
        await AssertSeesAsync(root, p, expected, etcdKeys: 2, "at the first load");
        Assert.Equal([p + @"at-load/\xFF"], provider.Status.SkippedKeys);

        await kv.PutAsync(watchedBad, "v"u8.ToArray());
        await AssertSeesAsync(root, p, expected, etcdKeys: 3, "after a badly named key arrived");
        Assert.Equal([p + @"at-load/\xFF", p + @"by-watch/\xC3("], provider.Status.SkippedKeys);
        Assert.Equal([p + @"at-load/\xFF", p + @"by-watch/\xC3("], failures.Select(f => f.Key!));

        // Deleting a badly named key ends its skip: nothing of it is left to report.
        await kv.DeleteAsync(watchedBad);
        await AssertSeesAsync(root, p, expected, etcdKeys: 2, "after the key named by the watch was deleted");
        Assert.Equal([p + @"at-load/\xFF"], provider.Status.SkippedKeys);
        await kv.DeleteAsync(loadedBad);
        await AssertSeesAsync(root, p, expected, etcdKeys: 1, "after the key named at the load was deleted");
        Assert.Empty(provider.Status.SkippedKeys);
    }

    /// <summary>
    /// Writes a marker after everything else and waits until a reload shows it and the status has caught up, so
    /// every earlier write has been applied, reported and counted; then the app must see exactly
    /// <paramref name="expected"/> (and the marker), and etcd hold <paramref name="etcdKeys"/> keys besides the marker.
    /// </summary>
    private async Task AssertSeesAsync(IConfigurationRoot root, string prefix, Dictionary<string, string> expected, int etcdKeys, string when)
    {
        var marker = $"m{Interlocked.Increment(ref _marker)}";
        await Marker.WriteAndAwaitAsync(root, "Marker", marker, () => fixture.Client.KV.PutAsync(prefix + "Marker", marker));

        var seen = ConfigurationView.Values(root);
        Assert.True(seen.Remove("Marker"), when);
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), seen.AsEnumerable());
        var (count, revision) = await ConfigurationView.EtcdCountAsync(fixture.Client, prefix);
        Assert.Equal(etcdKeys + 1, count);
        var provider = ConfigurationView.Provider(root);
        Assert.Equal(revision, provider.Revision);
        Assert.Equal(seen.Count + 1, provider.Status.KeyCount);
    }
}
