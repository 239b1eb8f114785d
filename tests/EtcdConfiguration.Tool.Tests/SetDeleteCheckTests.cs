using System.Text.Json;
using EtcdConfiguration.Client;

namespace EtcdConfiguration.Tool.Tests;

/// <summary><c>set</c>, <c>delete</c> and <c>check</c>.</summary>
public sealed class SetDeleteCheckTests(EtcdFixture fixture) : IClassFixture<EtcdFixture>
{
    [Fact]
    public async Task SetAndDeleteWorkInConfigurationSyntax()
    {
        var p = EtcdFixture.NewPrefix();

        var set = await fixture.RunAsync(p, "set", "Checkout:MaxItems", "50");
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Equal("50", (await fixture.Client.KV.GetAsync(p + "Checkout/MaxItems")).Kvs.Single().Value);
        Assert.Equal("50", fixture.AddEtcd(p)["CHECKOUT:MAXITEMS"]);

        var delete = await fixture.RunAsync(p, "delete", "Checkout:MaxItems");
        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.Empty((await fixture.Client.KV.GetAsync(p + "Checkout/MaxItems")).Kvs);
    }

    [Fact]
    public async Task SetWithTtlWritesALeasedOverrideThatLeavesTheOrdinaryValueAlone()
    {
        var p = EtcdFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "Checkout/MaxItems", "10");

        var run = await fixture.RunAsync(p, "set", "Checkout:MaxItems", "99", "--ttl", "10m", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var written = JsonDocument.Parse(run.Out);
        var leaseId = written.RootElement.GetProperty("leaseId").GetInt64();
        Assert.Equal(p + ".overrides/Checkout/MaxItems", written.RootElement.GetProperty("etcdKey").GetString());
        var stored = (await fixture.Client.KV.GetAsync(p + ".overrides/Checkout/MaxItems")).Kvs.Single();
        Assert.Equal(("99", leaseId), (stored.Value, stored.Lease));
        var ttl = await fixture.Client.Lease.TimeToLiveAsync(leaseId);
        Assert.InRange(ttl.GrantedTtl, 600, 600);
        Assert.Equal("10", (await fixture.Client.KV.GetAsync(p + "Checkout/MaxItems")).Kvs.Single().Value);

        // The override is not ordinary configuration: export leaves it out, check counts it apart.
        using var export = JsonDocument.Parse((await fixture.RunAsync(p, "export")).Out);
        Assert.Equal("10", export.RootElement.GetProperty("Checkout").GetProperty("MaxItems").GetString());
        Assert.Contains("1 overridden", (await fixture.RunAsync(p, "check")).Out);

        var removed = await fixture.RunAsync(p, "delete", "Checkout:MaxItems", "--override");
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Empty((await fixture.Client.KV.GetAsync(p + ".overrides/Checkout/MaxItems")).Kvs);
        Assert.Equal("10", (await fixture.Client.KV.GetAsync(p + "Checkout/MaxItems")).Kvs.Single().Value);
    }

    [Fact]
    public async Task SetRefusesWhatTheProviderWouldSkipOrCannotMapNamingTheKeyNotTheValue()
    {
        var p = EtcdFixture.NewPrefix();

        var badJson = await fixture.RunAsync(p, "set", "Db", "{\"Password\": \"s3cret\"");
        var badKey = await fixture.RunAsync(p, "set", "Db::Host", "h");
        var badTtl = await fixture.RunAsync(p, "set", "Db:Host", "h", "--ttl", "soon");

        Assert.Equal((2, 2, 2), (badJson.ExitCode, badKey.ExitCode, badTtl.ExitCode));
        Assert.Contains("'Db'", badJson.Err);
        Assert.DoesNotContain("s3cret", badJson.Err);
        Assert.Contains("'Db::Host'", badKey.Err);
        Assert.Contains("'soon' is not a duration", badTtl.Err);
        Assert.Empty((await fixture.Client.KV.GetAsync(p, new GetOptions { Prefix = true })).Kvs);
    }

    [Fact]
    public async Task CheckNamesSkippedAndConflictingKeysAndExitsOne()
    {
        var p = EtcdFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(p + "Broken", "{\"secret\": ");
        await fixture.Client.KV.PutAsync(p + "Db", """{ "Host": "blob" }""");
        await fixture.Client.KV.PutAsync(p + "Db/Host", "key");

        var run = await fixture.RunAsync(p, "check");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"skipped {p}Broken:", run.Out);
        Assert.Contains($"conflict: The etcd keys '{p}Db/Host' and '{p}Db'", run.Out);
        Assert.DoesNotContain("secret", run.Out);
        Assert.DoesNotContain("blob", run.Out);

        var q = EtcdFixture.NewPrefix();
        await fixture.Client.KV.PutAsync(q + "Fine", "ok");
        var clean = await fixture.RunAsync(q, "check", "--json");
        Assert.True(clean.ExitCode == 0, clean.ToString());
        using var json = JsonDocument.Parse(clean.Out);
        Assert.Equal(1, json.RootElement.GetProperty("keys").GetInt32());
    }
}
