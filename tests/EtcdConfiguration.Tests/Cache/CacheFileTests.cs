using System.Runtime.Versioning;
using EtcdConfiguration.Caching;
using EtcdConfiguration.Testing;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tests.Cache;

/// <summary>The last-known-good cache is written after loads and changes: complete, private, never logged.</summary>
public class CacheFileTests
{
    private const string Secret = "cache-secret-value-5b1e9c";

    [Fact]
    [UnsupportedOSPlatform("windows")] // Unix permissions; the tests run real etcd on Linux.
    public async Task IsWrittenAfterTheLoadAndEveryChangeOwnerOnlyAndNeverLogged()
    {
        await using var cluster = await EtcdCluster.StartAsync();
        var prefix = TestConfiguration.NewPrefix();
        await cluster.PutAsync(prefix + "Db/Password", Secret);
        await cluster.PutAsync(prefix + "Feature", "{\"On\":true,\"Limits\":[1,2]}");
        using var directory = new TempDirectory();
        var cacheFile = Path.Combine(directory.Path, "not-yet", "config.cache.json");
        var logs = new FakeLogCollector();
        using var loggerFactory = logs.CreateFactory();

        using (var configuration = TestConfiguration.Build(cluster.Endpoints, prefix, s =>
        {
            s.CacheFile = cacheFile;
            s.LoggerFactory = loggerFactory;
        }))
        {
            var written = await Eventually.SomeAsync(() => TryRead(cacheFile), "the cache file to be written after the load");
            Assert.Equal(prefix, written.Prefix);
            Assert.Equal(configuration.Provider.Revision, written.Revision);
            Assert.Equal(
                configuration.Root.AsEnumerable().Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.Ordinal),
                written.Pairs.OrderBy(p => p.Key, StringComparer.Ordinal));
            Assert.Contains(new KeyValuePair<string, string?>("Db:Password", Secret), written.Pairs);
            Assert.Contains(new KeyValuePair<string, string?>("Feature:Limits:1", "2"), written.Pairs);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cacheFile));

            await cluster.PutAsync(prefix + "Db/Password", Secret + "-rotated");
            await cluster.EtcdctlAsync("del", "--", prefix + "Feature");
            var rewritten = await Eventually.SomeAsync(
                () => TryRead(cacheFile) is { } d && d.Pairs.Length == 1 && d.Pairs[0].Value == Secret + "-rotated"
                    && d.Revision == configuration.Provider.Revision ? d : null,
                "the cache file to follow the changes");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cacheFile));
        }

        // Disposing waits for a write under way only so long; no temporary file may be left once it has finished.
        var directoryOfCache = Path.GetDirectoryName(cacheFile)!;
        await Eventually.TrueAsync(() => Directory.GetFiles(directoryOfCache).SequenceEqual([cacheFile]), "the cache file is alone in its directory");
        Assert.Equal([cacheFile], Directory.GetFiles(directoryOfCache));
        Assert.Contains(logs.Lines, l => l.Contains("Loaded", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains(cacheFile, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(Secret, StringComparison.Ordinal));
    }

    internal static CacheDocument? TryRead(string path)
    {
        try
        {
            return CacheFile.Read(path);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            return null;
        }
    }
}
