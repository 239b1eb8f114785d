using System.Text.Json;

namespace EtcdConfiguration.Tool.Tests;

/// <summary><c>import</c> and <c>export</c>: what AddEtcd gives after an import is what AddJsonFile gives for the file.</summary>
public sealed class ImportExportTests(EtcdFixture fixture) : IClassFixture<EtcdFixture>
{
    internal const string Settings = """
        {
          // appsettings.json allows comments and trailing commas
          "Logging": { "LogLevel": { "Default": "Warning", "Microsoft.AspNetCore": "Error" } },
          "Checkout": {
            "Banner": "Grüße, 世界 ✓",
            "MaxItems": 25,
            "Ratio": 1.50,
            "Enabled": true,
            "Providers": [ "card", "paypal" ],
            "Replicas": [ { "Name": "r1" }, { "Name": "r2", "Weight": 2, "Tags": [] } ],
            "Nothing": null,
            "EmptyObject": {},
            "EmptyArray": [],
            "LooksLikeObject": "{\"not\": \"parsed\"}",
            "LooksLikeArray": "  [1, 2]",
            "BrokenJson": "{oops",
            "Empty": ""
          },
          "TopLevelJson": "[\"x\"]",
          "a/b": { "c": "a slash inside a section" },
          "Matrix": [ [ 1, 2 ], [ 3 ] ],
        }
        """;

    [Fact]
    public async Task ImportThenAddEtcdEqualsAddJsonFileAndExportRoundTrips()
    {
        var p = EtcdFixture.NewPrefix();
        using var file = new TempFile(content: Settings);

        var import = await fixture.RunAsync(p, "import", file.Path);

        Assert.True(import.ExitCode == 0, import.ToString());
        var expected = EtcdFixture.AddJsonFile(file.Path);
        Assert.Equal(expected, fixture.AddEtcd(p));

        var exported = file.Sibling("exported.json");
        var export = await fixture.RunAsync(p, "export", "--output", exported);
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Equal(expected, EtcdFixture.AddJsonFile(exported));

        // Importing the same file again changes nothing and writes nothing.
        var before = await fixture.Client.KV.GetAsync("any");
        var again = await fixture.RunAsync(p, "import", file.Path);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("wrote 0 etcd keys", again.Out);
        Assert.Equal(before.Header.Revision, (await fixture.Client.KV.GetAsync("any")).Header.Revision);
    }

    [Fact]
    public async Task ASourceWithTheJsonValueFormatGetsEveryValueAsJsonAndRoundTrips()
    {
        var p = EtcdFixture.NewPrefix();
        using var file = new TempFile(content: Settings);

        var import = await fixture.RunAsync(p, "--value-format", "json", "import", file.Path);

        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Equal("\"25\"", (await fixture.Client.KV.GetAsync(p + "Checkout/MaxItems")).Kvs.Single().Value);
        Assert.Equal(EtcdFixture.AddJsonFile(file.Path), fixture.AddEtcd(p, EtcdValueFormat.Json));
        var export = await fixture.RunAsync(p, "--value-format", "json", "export", "--output", file.Sibling("out.json"));
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Equal(EtcdFixture.AddJsonFile(file.Path), EtcdFixture.AddJsonFile(file.Sibling("out.json")));
    }

    [Fact]
    public async Task ASourceWithTheRawValueFormatKeepsJsonLookingTextAndRefusesNulls()
    {
        var p = EtcdFixture.NewPrefix();
        using var file = new TempFile(content: """{ "Checkout": { "Filter": "{\"raw\": true}", "List": ["a", "b"] } }""");
        using var nulls = new TempFile(content: """{ "Checkout": { "Nothing": null } }""");

        var import = await fixture.RunAsync(p, "--value-format", "raw", "import", file.Path);
        var refused = await fixture.RunAsync(p, "--value-format", "raw", "import", nulls.Path);

        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Equal("{\"raw\": true}", (await fixture.Client.KV.GetAsync(p + "Checkout/Filter")).Kvs.Single().Value);
        Assert.Equal(EtcdFixture.AddJsonFile(file.Path), fixture.AddEtcd(p, EtcdValueFormat.Raw));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("'Checkout:Nothing'", refused.Err);
    }

    [Fact]
    public async Task TheDocumentLayoutPutsTheWholeFileInThePrefixKeyAndReadsTheSame()
    {
        var p = EtcdFixture.NewPrefix();
        using var file = new TempFile(content: Settings);

        var import = await fixture.RunAsync(p, "import", file.Path, "--layout", "document");

        Assert.True(import.ExitCode == 0, import.ToString());
        var keys = await fixture.Client.KV.GetAsync(p, new Client.GetOptions { Prefix = true });
        Assert.Equal([p], keys.Kvs.Select(kv => kv.Key));
        Assert.Equal(EtcdFixture.AddJsonFile(file.Path), fixture.AddEtcd(p));
    }

    [Fact]
    public async Task ExportToStandardOutputIsJsonThatAddJsonFileReadsAsAddEtcd()
    {
        var p = EtcdFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "Db/Host", "h");
        await fixture.Client.KV.PutAsync(p + "Db/Ports", "[1, 2]");
        await fixture.Client.KV.PutAsync(p + "List/0", "a");
        await fixture.Client.KV.PutAsync(p + "List/1", "b");
        await fixture.Client.KV.PutAsync(p + "NotAList/0", "a");
        await fixture.Client.KV.PutAsync(p + "NotAList/2", "c");
        await fixture.Client.KV.PutAsync(p + ".overrides/Db/Host", "override, not exported");

        var export = await fixture.RunAsync(p, "export");

        Assert.True(export.ExitCode == 0, export.ToString());
        using var document = JsonDocument.Parse(export.Out);
        Assert.Equal(JsonValueKind.Array, document.RootElement.GetProperty("List").ValueKind);
        Assert.Equal(JsonValueKind.Object, document.RootElement.GetProperty("NotAList").ValueKind);
        Assert.False(document.RootElement.TryGetProperty(".overrides", out _));
        using var file = new TempFile(content: export.Out);
        // The app sees the export with the override on top; the export itself holds the ordinary value.
        var exported = EtcdFixture.AddJsonFile(file.Path);
        exported["DB:HOST"] = "override, not exported";
        Assert.Equal(exported, fixture.AddEtcd(p));
        Assert.Equal("h", document.RootElement.GetProperty("Db").GetProperty("Host").GetString());
    }

    [Fact]
    public async Task ExportAtARevisionGivesThePrefixAsItWasThen()
    {
        var p = EtcdFixture.NewPrefix();
        var then = (await fixture.Client.KV.PutAsync(p + "Banner", "old")).Header.Revision;
        await fixture.Client.KV.PutAsync(p + "Banner", "new");
        await fixture.Client.KV.PutAsync(p + "Added", "later");

        var export = await fixture.RunAsync(p, "export", "--revision", then.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(export.ExitCode == 0, export.ToString());
        using var document = JsonDocument.Parse(export.Out);
        Assert.Equal("old", document.RootElement.GetProperty("Banner").GetString());
        Assert.False(document.RootElement.TryGetProperty("Added", out _));
    }

    [Fact]
    public async Task ExportRefusesAKeyThatHasBothAValueAndKeysBelowIt()
    {
        var p = EtcdFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "Db", "plain");
        await fixture.Client.KV.PutAsync(p + "Db/Host", "h");

        var export = await fixture.RunAsync(p, "export");

        Assert.Equal(2, export.ExitCode);
        Assert.Contains("'Db'", export.Err);
        Assert.DoesNotContain("plain", export.Err);
    }
}
