using EtcdConfiguration.Client;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tests.LiveReload;

/// <summary>
/// Temporary overrides, written as docs DECISIONS fix them: <c>{prefix}.overrides/A/B</c> bound to a lease of its
/// own. They win over ordinary keys while they exist, never show as ordinary keys, and when they go the ordinary
/// value (or none) shows again, each step a <see cref="EtcdConfigurationProvider.Changed"/> event.
/// </summary>
public sealed class OverrideTests(ProviderClusterFixture fixture) : IClassFixture<ProviderClusterFixture>
{
    [Fact]
    public async Task AnOverrideWinsOverAnOrdinaryKeyAndAJsonBlobKeyThenExpiresByItsLease()
    {
        var p = ProviderClusterFixture.NewPrefix();
        var kv = fixture.Client.KV;
        await kv.PutAsync(p + "Beta/Enabled", "false");
        await kv.PutAsync(p + "Doc", """{"Y":"blob","Z":"z"}""");
        using var root = fixture.Build(p);
        using var events = new ChangedRecorder(root);

        await PutOverrideAsync(p + ".overrides/Beta/Enabled", "true", ttlSeconds: 2);
        await PutOverrideAsync(p + ".overrides/Doc/Y", "over", ttlSeconds: 3);

        // The events, not a poll, prove each override showed: a short lease may run out before a poll comes round.
        await Eventually.TrueAsync(
            () => Lines(events).Contains("Beta:Enabled: false -> true") && Lines(events).Contains("Doc:Y: blob -> over"),
            "both overrides show");
        AssertNoReservedKeys(root);

        // Nobody acts: the leases run out, the override keys go, and the ordinary values show again.
        await Eventually.TrueAsync(() => root["Beta:Enabled"] == "false" && root["Doc:Y"] == "blob", "both overrides expire");
        Assert.Equal("z", root["Doc:Z"]);
        Assert.Equal("false", (await kv.GetAsync(p + "Beta/Enabled")).Kvs.Single().Value);
        Assert.Equal("""{"Y":"blob","Z":"z"}""", (await kv.GetAsync(p + "Doc")).Kvs.Single().Value);

        var lines = Lines(events);
        Assert.Equal(["Beta:Enabled: false -> true", "Beta:Enabled: true -> false"], lines.Where(l => l.StartsWith("Beta:", StringComparison.Ordinal)));
        Assert.Equal(["Doc:Y: blob -> over", "Doc:Y: over -> blob"], lines.Where(l => l.StartsWith("Doc:", StringComparison.Ordinal)));
        Assert.Equal(4, lines.Count);
        Assert.All(events.ReaderViews, view => Assert.Equal("seen", view));
    }

    [Fact]
    public async Task OverridesAreReadInTheFirstSnapshotAndADeletedOverrideGivesBackTheOrdinaryValues()
    {
        var p = ProviderClusterFixture.NewPrefix();
        var kv = fixture.Client.KV;
        await kv.PutAsync(p + "Feature/A", "ordinary-a");
        await kv.PutAsync(p + "Only/Overridden", "nothing-below");
        await PutOverrideAsync(p + ".overrides/Feature", """{"A":"over-a","B":"over-b"}""", ttlSeconds: 60);
        await PutOverrideAsync(p + ".overrides/New/Key", "fresh", ttlSeconds: 60);
        using var root = fixture.Build(p);
        using var events = new ChangedRecorder(root);

        Assert.Equal("over-a", root["Feature:A"]);
        Assert.Equal("over-b", root["Feature:B"]);
        Assert.Equal("fresh", root["New:Key"]);
        AssertNoReservedKeys(root);

        var removed = await kv.DeleteAsync(p + ".overrides/Feature");
        var back = await events.WaitForAsync(e => e.Revision == removed.Header.Revision, "the removal's event");
        Assert.Equal("Feature:A: over-a -> ordinary-a; Feature:B: over-b -> <none>", ChangedRecorder.Show(back));
        Assert.Equal("ordinary-a", root["Feature:A"]);
        Assert.Null(root["Feature:B"]);

        removed = await kv.DeleteAsync(p + ".overrides/New/Key");
        back = await events.WaitForAsync(e => e.Revision == removed.Header.Revision, "the second removal's event");
        Assert.Equal("New:Key: fresh -> <none>", ChangedRecorder.Show(back));
        Assert.False(root.GetSection("New").Exists());
    }

    [Fact]
    public async Task AnOverrideOutranksADeeperOrdinaryKeyAndAnotherOverrideDecidesAmongOverrides()
    {
        var p = ProviderClusterFixture.NewPrefix();
        var kv = fixture.Client.KV;
        await kv.PutAsync(p + "Svc/Limits/Max", "10");
        using var root = fixture.Build(p);

        // A blob override above the key still beats the ordinary key that names the setting directly.
        await PutOverrideAsync(p + ".overrides/Svc", """{"Limits":{"Max":"20"}}""", ttlSeconds: 60);
        await Eventually.ValueAsync(root, "Svc:Limits:Max", "20");

        // Between overrides, the usual rule: the one naming the setting directly wins.
        await PutOverrideAsync(p + ".overrides/Svc/Limits/Max", "30", ttlSeconds: 60);
        await Eventually.ValueAsync(root, "Svc:Limits:Max", "30");

        await kv.DeleteAsync(p + ".overrides/", new DeleteOptions { Prefix = true });
        await Eventually.ValueAsync(root, "Svc:Limits:Max", "10");
        AssertNoReservedKeys(root);
    }

    // Every change of every event, in order.
    private static List<string> Lines(ChangedRecorder events) => [.. events.Shown.SelectMany(e => e.Split("; "))];

    private static void AssertNoReservedKeys(ConfigurationRoot root)
    {
        Assert.DoesNotContain(root.AsEnumerable(), pair => pair.Key.Contains(".overrides", StringComparison.OrdinalIgnoreCase));
        Assert.False(root.GetSection(".overrides").Exists());
    }

    // Exactly as the writer of DECISIONS.md does it: a lease of its own, the key under {prefix}.overrides/.
    private async Task PutOverrideAsync(string etcdKey, string value, long ttlSeconds)
    {
        var lease = await fixture.Client.Lease.GrantAsync(ttlSeconds);
        await fixture.Client.KV.PutAsync(etcdKey, value, new PutOptions { Lease = lease.Id });
    }
}
