using System.Text;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tests.Mapping;

/// <summary>How etcd keys and values become configuration, end to end: written to a real etcd, read through the framework.</summary>
public sealed class MappingEndToEndTests(ProviderClusterFixture fixture) : IClassFixture<ProviderClusterFixture>
{
    private const string Blob = """
        {
          "Host": "db.internal",
          "Port": 5432,
          "Ratio": 1.50,
          "Enabled": true,
          "Nothing": null,
          "EmptyObject": {},
          "EmptyArray": [],
          "Tags": ["a", "b"],
          "Replicas": [{ "Name": "r1" }, { "Name": "r2", "Weight": 2 }]
        }
        """;

    private const string AppSettings = """
        {
          // appsettings.json allows comments and trailing commas
          "Logging": { "LogLevel": { "Default": "Warning", "Microsoft.AspNetCore": "Error" } },
          "AllowedHosts": "*",
          "Kestrel": { "Endpoints": { "Http": { "Url": "http://0.0.0.0:8080" } } },
          "Checkout": { "Currencies": ["EUR", "USD"], "MaxItems": 50, "Discount": null },
        }
        """;

    [Fact]
    public async Task NestedSectionsArraysAndJsonBlobsBindAsTheJsonProviderGivesThem()
    {
        var p = ProviderClusterFixture.NewPrefix();
        var kv = fixture.Client.KV;
        await kv.PutAsync(p + "Section/Nested/Deeper/Value", "v");
        await kv.PutAsync(p + "Arr/0", "a");
        await kv.PutAsync(p + "Arr/1", "b");
        await kv.PutAsync(p + "Nums/0", "1");
        await kv.PutAsync(p + "Nums/1", "2");
        await kv.PutAsync(p + "JsonArr", "[\"x\", \"y\"]");
        await kv.PutAsync(p + "JsonNums", "  [3, 4]");
        await kv.PutAsync(p + "Blob", Blob);

        using var root = fixture.Build(p);

        Assert.Equal("v", root["Section:Nested:Deeper:Value"]);
        Assert.Equal("v", root.GetSection("Section").GetSection("Nested:Deeper")["Value"]);
        Assert.Equal(["a", "b"], root.GetSection("Arr").Get<string[]>()!);
        Assert.Equal([1, 2], root.GetSection("Nums").Get<List<int>>());
        Assert.Equal(["x", "y"], root.GetSection("JsonArr").Get<string[]>()!);
        Assert.Equal([3, 4], root.GetSection("JsonNums").Get<List<int>>());

        Assert.Equal(Pairs(JsonProvider(Blob)), Pairs(root.GetSection("Blob"), relative: true));
        var blob = root.GetSection("Blob").Get<BlobOptions>()!;
        Assert.Equal("db.internal", blob.Host);
        Assert.Equal(5432, blob.Port);
        Assert.Equal(1.5m, blob.Ratio);
        Assert.True(blob.Enabled);
        Assert.Equal(["a", "b"], blob.Tags);
        Assert.Equal(["r1", "r2"], blob.Replicas.Select(r => r.Name));
        Assert.Equal(2, blob.Replicas[1].Weight);
    }

    [Fact]
    public async Task AnAppSettingsDocumentAtThePrefixKeyFlattensAtTheRoot()
    {
        var p = ProviderClusterFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p, AppSettings);
        await fixture.Client.KV.PutAsync(p + "Checkout/Region", "eu-west");

        using var root = fixture.Build(p);

        var expected = Pairs(JsonProvider(AppSettings)).Append(P("Checkout:Region", "eu-west")).OrderBy(e => e.Key, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(expected, Pairs(root));
        Assert.Equal("Warning", root["logging:loglevel:default"]);
        Assert.Equal(["EUR", "USD"], root.GetSection("Checkout:Currencies").Get<string[]>()!);

        // Replacing the document live replaces its contribution, and only its contribution.
        var reloaded = WaitForReloadAsync(root);
        await fixture.Client.KV.PutAsync(p, """{ "AllowedHosts": "example.com" }""");
        await Eventually.WithinAsync(reloaded, "the configuration reloads after the document changed");
        Assert.Equal(
            [P("AllowedHosts", "example.com"), P("Checkout", null), P("Checkout:Region", "eu-west")],
            Pairs(root));
    }

    [Fact]
    public async Task NullAndEmptyValuesStayDistinct()
    {
        var p = ProviderClusterFixture.NewPrefix();
        var kv = fixture.Client.KV;
        await kv.PutAsync(p + "Empty", string.Empty);
        await kv.PutAsync(p + "Blank", "   ");
        await kv.PutAsync(p + "JsonNull", """{ "Value": null }""");
        await kv.PutAsync(p + "JsonEmptyString", """{ "Value": "" }""");

        using var root = fixture.Build(p);

        Assert.Equal(string.Empty, root["Empty"]);
        Assert.True(root.GetSection("Empty").Exists());
        Assert.Equal("   ", root["Blank"]);
        Assert.Equal(JsonProvider("""{ "Value": null }""")["Value"], root["JsonNull:Value"]);
        Assert.Null(root["JsonNull:Value"]);
        Assert.Contains(root.GetSection("JsonNull").GetChildren(), c => c.Key == "Value");
        Assert.Equal(string.Empty, root["JsonEmptyString:Value"]);
        Assert.Null(root["Missing"]);
        Assert.False(root.GetSection("Missing").Exists());
    }

    [Fact]
    public async Task MergesCaseInsensitivelyWithProvidersBeforeAndAfterIt()
    {
        var p = ProviderClusterFixture.NewPrefix();
        var kv = fixture.Client.KV;
        await kv.PutAsync(p + "SECTION/KEY", "etcd");
        await kv.PutAsync(p + "Section/Only-Etcd", "e");
        await kv.PutAsync(p + "override/Me", "etcd");

        using var root = (ConfigurationRoot)new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["section:key"] = "memory-before",
                ["section:only-memory"] = "m",
                ["Override:ME"] = "memory-before",
            })
            .AddEtcd(source => fixture.Configure(source, p))
            .AddInMemoryCollection(new Dictionary<string, string?> { ["OVERRIDE:me"] = "memory-after" })
            .Build();

        Assert.Equal("etcd", root["Section:Key"]);
        Assert.Equal("etcd", root["section:KEY"]);
        Assert.Equal("m", root["SECTION:ONLY-MEMORY"]);
        Assert.Equal("e", root["section:only-etcd"]);
        Assert.Equal("memory-after", root["Override:Me"]);
        Assert.Equal(3, root.GetSection("Section").GetChildren().Count());
        Assert.Equal(
            ["key", "only-etcd", "only-memory"],
            root.GetSection("section").GetChildren().Select(c => c.Key.ToLowerInvariant()).Order(StringComparer.Ordinal));

        await kv.PutAsync(p + "Section/Key", "etcd-2");
        await kv.PutAsync(p + "OVERRIDE/ME", "etcd-2");
        await Eventually.ValueAsync(root, "SECTION:key", "etcd-2");
        Assert.Equal("memory-after", root["Override:Me"]);
    }

    [Fact]
    public async Task UnicodeKeysDoubleSlashesAndTrailingSlashesMapToSections()
    {
        var p = ProviderClusterFixture.NewPrefix();
        await fixture.Cluster.PutAsync(p + "Ünïcödé/Ключ", "значение");
        await fixture.Client.KV.PutAsync(p + "Emoji/🎉", "party");
        await fixture.Client.KV.PutAsync(p + "Double//Slash", "d");
        await fixture.Client.KV.PutAsync(p + "Trailing/", "t");
        await fixture.Client.KV.PutAsync(p + "//Leading", "l");
        await fixture.Client.KV.PutAsync(p + "Colon/a:b", "c");

        using var root = fixture.Build(p);

        Assert.Equal("значение", root["Ünïcödé:Ключ"]);
        Assert.Equal("значение", root["üNÏCÖDÉ:КЛЮЧ"]);
        Assert.Equal("party", root["Emoji:🎉"]);
        Assert.Equal("d", root["Double:Slash"]);
        Assert.Equal("t", root["Trailing"]);
        Assert.Equal("l", root["Leading"]);
        Assert.Equal("c", root["Colon:a:b"]);
        Assert.Equal(
            ["Colon", "Double", "Emoji", "Leading", "Trailing", "Ünïcödé"],
            root.GetChildren().Select(c => c.Key).Order(StringComparer.Ordinal));

        // Live changes take the same path through the mapping.
        await fixture.Cluster.PutAsync(p + "ünïcödé//ключ/", "новое");
        await Eventually.ValueAsync(root, "Ünïcödé:Ключ", "новое");
    }

    [Theory]
    [InlineData("myapp")]
    [InlineData("myapp/")]
    public async Task APrefixIsADirectoryWithOrWithoutItsSlash(string name)
    {
        var p = ProviderClusterFixture.NewPrefix();
        var kv = fixture.Client.KV;
        await kv.PutAsync(p + "myapp/A", "1");
        await kv.PutAsync(p + "myapp", "the prefix without its slash is not in the directory");
        await kv.PutAsync(p + "myappspam/B", "2");
        await kv.PutAsync(p + "myapp2", "3");
        var failures = new List<EtcdLoadExceptionContext>();

        using var root = fixture.Build(p + name, source => source.OnLoadException = failures.Add);
        Assert.Equal([P("A", "1")], Pairs(root));

        using var reloads = new ReloadRecorder(root, probeKey: "Marker");
        await kv.PutAsync(p + "myappspam/C", "4");
        await kv.PutAsync(p + "myapp-other/D", "5");
        await kv.PutAsync(p + "myapp", "6");
        await kv.PutAsync(p + "myapp/Marker", "m");
        await Eventually.TrueAsync(() => reloads.Probes.Contains("m"), "a reload shows the marker");

        Assert.Equal([P("A", "1"), P("Marker", "m")], Pairs(root));
        Assert.Equal(["m"], reloads.Probes);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task KeysDifferingOnlyInCaseResolveByOrdinalKeyOrderWhateverTheWriteOrder()
    {
        // "Mode/Level" < "mode/level" in ordinal order ('M' is 0x4D, 'm' is 0x6D).
        const string Upper = "Mode/Level";
        const string Lower = "mode/level";
        var upperFirst = ProviderClusterFixture.NewPrefix();
        var lowerFirst = ProviderClusterFixture.NewPrefix();
        var kv = fixture.Client.KV;
        await kv.PutAsync(upperFirst + Upper, "upper");
        await kv.PutAsync(upperFirst + Lower, "lower");
        await kv.PutAsync(lowerFirst + Lower, "lower");
        await kv.PutAsync(lowerFirst + Upper, "upper");

        var logs = new FakeLogCollector();
        using var loggerFactory = logs.CreateFactory();
        using var a = fixture.Build(upperFirst, source => source.LoggerFactory = loggerFactory);
        using var b = fixture.Build(lowerFirst);
        Assert.Equal(CaseConflictWinnerValue, a["MODE:LEVEL"]);
        Assert.Equal(CaseConflictWinnerValue, b["MODE:LEVEL"]);
        Assert.Single(a.GetSection("mode").GetChildren());

        // A warning names both keys, and neither value.
        var warning = Assert.Single(logs.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains(upperFirst + Upper, StringComparison.Ordinal));
        Assert.Contains(upperFirst + Lower, warning, StringComparison.Ordinal);
        Assert.DoesNotContain("upper", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("lower", warning, StringComparison.Ordinal);

        // Removing the winner reveals the other key's value again, and writing it back hides it again.
        var winner = CaseConflictWinnerValue == "upper" ? Upper : Lower;
        var loser = CaseConflictWinnerValue == "upper" ? "lower" : "upper";
        await kv.DeleteAsync(upperFirst + winner);
        await Eventually.ValueAsync(a, "Mode:Level", loser);
        await kv.PutAsync(upperFirst + winner, CaseConflictWinnerValue);
        await Eventually.ValueAsync(a, "Mode:Level", CaseConflictWinnerValue);

        // The same resolution when the keys arrive through the watch, one after the other.
        var live = ProviderClusterFixture.NewPrefix();
        using var c = fixture.Build(live);
        await kv.PutAsync(live + winner, CaseConflictWinnerValue);
        await Eventually.ValueAsync(c, "Mode:Level", CaseConflictWinnerValue);
        await kv.PutAsync(live + (winner == Upper ? Lower : Upper), loser);
        await kv.PutAsync(live + "Marker", "m");
        await Eventually.ValueAsync(c, "Marker", "m");
        Assert.Equal(CaseConflictWinnerValue, c["Mode:Level"]);
    }

    [Fact]
    public async Task AMoreSpecificKeyWinsOverABlobUntilItIsDeleted()
    {
        var p = ProviderClusterFixture.NewPrefix();
        var kv = fixture.Client.KV;
        await kv.PutAsync(p + "Db", """{ "Host": "from-blob", "Port": "1" }""");
        await kv.PutAsync(p + "Db/Host", "from-key");

        using var root = fixture.Build(p);
        Assert.Equal("from-key", root["Db:Host"]);
        Assert.Equal("1", root["Db:Port"]);

        await kv.DeleteAsync(p + "Db/Host");
        await Eventually.ValueAsync(root, "Db:Host", "from-blob");
        await kv.PutAsync(p + "Db", """{ "Host": "from-blob-2" }""");
        await Eventually.ValueAsync(root, "Db:Host", "from-blob-2");
        Assert.Null(root["Db:Port"]);
        await kv.PutAsync(p + "DB/HOST", "from-key-2");
        await Eventually.ValueAsync(root, "Db:Host", "from-key-2");
    }

    /// <summary>
    /// Which of two keys differing only in case wins. DESIGN.md: "among equals, ordinal key order decides";
    /// the store documents which end of the order that is.
    /// </summary>
    private const string CaseConflictWinnerValue = "lower";

    private static Task WaitForReloadAsync(ConfigurationRoot configuration)
    {
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        configuration.GetReloadToken().RegisterChangeCallback(_ => reloaded.TrySetResult(), null);
        return reloaded.Task;
    }

    private static KeyValuePair<string, string?> P(string key, string? value) => new(key, value);

    private static IConfigurationRoot JsonProvider(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    private static List<KeyValuePair<string, string?>> Pairs(IConfiguration configuration, bool relative = false) =>
        configuration.AsEnumerable(makePathsRelative: relative).OrderBy(e => e.Key, StringComparer.OrdinalIgnoreCase).ToList();

    private sealed class BlobOptions
    {
        public string Host { get; set; } = string.Empty;

        public int Port { get; set; }

        public decimal Ratio { get; set; }

        public bool Enabled { get; set; }

        public string[] Tags { get; set; } = [];

        public List<Replica> Replicas { get; set; } = [];
    }

    private sealed class Replica
    {
        public string Name { get; set; } = string.Empty;

        public int Weight { get; set; }
    }
}
