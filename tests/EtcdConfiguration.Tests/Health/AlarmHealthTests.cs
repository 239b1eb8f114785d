using System.Globalization;
using EtcdConfiguration.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EtcdConfiguration.Tests.Health;

/// <summary>etcd's own alarms in the health check: a real NOSPACE degrades it, naming the alarm and the member.</summary>
public sealed class AlarmHealthTests
{
    private const string BadJson = "{\"not json";
    private const string FillKey = "/fill";

    [Fact]
    public async Task A_NOSPACE_alarm_degrades_the_check_beside_a_reason_already_there_and_disarming_it_makes_it_healthy_again()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { QuotaBackendBytes = 1024 * 1024 });
        var prefix = TestConfiguration.NewPrefix();
        await cluster.PutAsync(prefix + "Good", "{\"A\":1}");
        await cluster.PutAsync(prefix + "Bad", BadJson);
        using var configuration = TestConfiguration.Build(cluster.Endpoints, prefix, s => s.ValueFormat = EtcdValueFormat.Json);

        // Degraded for its own reason, and etcd asked: no alarm.
        var before = await EventuallyHealthAsync(configuration, h => h.Data.ContainsKey("alarms"), "etcd has answered the alarm list");
        Assert.Equal(HealthStatus.Degraded, before.Status);
        Assert.Equal(string.Empty, before.Data["alarms"]);
        Assert.DoesNotContain("NOSPACE", before.Description, StringComparison.Ordinal);

        await FillUntilNoSpaceAsync(cluster);
        var memberId = await AlarmedMemberIdAsync(cluster);

        var alarmed = await EventuallyHealthAsync(configuration, h => h.Description?.Contains("NOSPACE", StringComparison.Ordinal) == true, "the check reports the alarm");
        Assert.Equal(HealthStatus.Degraded, alarmed.Status);
        var named = $"NOSPACE on member {memberId} ({cluster.Members[0].Name}, {cluster.ClientUrls[0]})";
        Assert.Contains(named, alarmed.Description, StringComparison.Ordinal);
        Assert.Equal(named, alarmed.Data["alarms"]);
        // The provider's own reason still shows, first.
        var skipped = alarmed.Description!.IndexOf(prefix + "Bad", StringComparison.Ordinal);
        Assert.InRange(skipped, 0, alarmed.Description.IndexOf("NOSPACE", StringComparison.Ordinal));
        Assert.Equal("Live", alarmed.Data["state"]);
        Assert.Equal("1", configuration["Good:A"]);

        // etcd 3.4 frees the space by deleting, compacting and defragmenting; only then does a disarm stick.
        await cluster.EtcdctlAsync("del", FillKey);
        await cluster.CompactAsync();
        await cluster.EtcdctlAsync("defrag");
        await cluster.EtcdctlAsync("alarm", "disarm");
        await cluster.PutAsync(prefix + "Bad", "{\"B\":2}");

        var healthy = await EventuallyHealthAsync(configuration, h => h.Status == HealthStatus.Healthy, "the check is healthy again");
        Assert.Equal(string.Empty, healthy.Data["alarms"]);
        Assert.DoesNotContain("NOSPACE", healthy.Description, StringComparison.Ordinal);
        Assert.Equal("2", configuration["Bad:B"]);
    }

    [Fact]
    public async Task An_alarm_never_hides_an_unhealthy_source_and_both_reasons_are_given()
    {
        await using var cluster = await EtcdCluster.StartAsync(new EtcdClusterOptions { QuotaBackendBytes = 1024 * 1024 });
        var live = TestConfiguration.NewPrefix();
        var missing = TestConfiguration.NewPrefix();
        await cluster.PutAsync(live + "A", "1");
        using var refused = new RefusedEndpoint();
        var root = new ConfigurationBuilder()
            .AddEtcd(s =>
            {
                s.Endpoints = cluster.ClientUrls.ToList();
                s.Prefix = live;
                s.StartupTimeout = TestTimeouts.EtcdAnswers;
            })
            .AddEtcd(s =>
            {
                s.Endpoints = [refused.Url];
                s.Prefix = missing;
                s.Optional = true;
                s.StartupTimeout = TimeSpan.FromSeconds(1);
            })
            .Build();
        using var disposeRoot = (IDisposable)root;
        var check = new EtcdConfigurationHealthCheck(root);
        var context = new HealthCheckContext { Registration = new HealthCheckRegistration("etcd", check, null, null) };
        await FillUntilNoSpaceAsync(cluster);

        HealthCheckResult result = default;
        await Eventually.TrueAsync(
            async () => (result = await check.CheckHealthAsync(context)).Description?.Contains("NOSPACE", StringComparison.Ordinal) == true,
            "the check reports the alarm");

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains($"'{missing}' has no data", result.Description, StringComparison.Ordinal);
        Assert.Contains("NOSPACE on member", (string)result.Data[live + ":alarms"], StringComparison.Ordinal);
        Assert.Equal("Failed", result.Data[missing + ":state"]);
    }

    [Fact]
    public async Task An_etcd_that_does_not_answer_the_alarm_list_leaves_the_providers_own_status_and_says_so()
    {
        await using var cluster = await EtcdCluster.StartAsync();
        var prefix = TestConfiguration.NewPrefix();
        await cluster.PutAsync(prefix + "A", "1");
        using var configuration = TestConfiguration.Build(cluster.Endpoints, prefix);

        // A paused member accepts connections and answers nothing: the worst case for a check that asks it.
        cluster.Members[0].Pause();
        try
        {
            var health = await configuration.CheckHealthAsync().WaitAsync(TestTimeouts.EtcdAnswers);

            var state = (string)health.Data["state"];
            Assert.Equal(state == "Live" ? HealthStatus.Healthy : HealthStatus.Degraded, health.Status);
            Assert.Contains("alarm list", (string)health.Data["alarmCheckError"], StringComparison.Ordinal);
            Assert.Contains("alarm list", health.Description, StringComparison.Ordinal);
            Assert.False(health.Data.ContainsKey("alarms"));
        }
        finally
        {
            cluster.Members[0].Resume();
        }

        Assert.Equal("1", configuration["A"]);
    }

    private static async Task<HealthReportEntry> EventuallyHealthAsync(TestConfiguration configuration, Func<HealthReportEntry, bool> condition, string what)
    {
        HealthReportEntry entry = default;
        await Eventually.TrueAsync(async () => condition(entry = await configuration.CheckHealthAsync()), what);
        return entry;
    }

    /// <summary>Writes 100 KB revisions of one key outside every prefix until etcd refuses them for lack of space.</summary>
    private static async Task FillUntilNoSpaceAsync(EtcdCluster cluster)
    {
        var value = new string('x', 100_000);
        for (var i = 0; i < 100; i++)
        {
            try
            {
                await cluster.PutAsync(FillKey, value);
            }
            catch (EtcdctlException ex) when (ex.StandardError.Contains("database space exceeded", StringComparison.Ordinal))
            {
                return;
            }
        }

        Assert.Fail("etcd accepted 10 MB under a 1 MiB quota.");
    }

    /// <summary>The alarmed member's ID in hex, as etcdctl's alarm list gives it (in decimal).</summary>
    private static async Task<string> AlarmedMemberIdAsync(EtcdCluster cluster)
    {
        var list = await cluster.EtcdctlAsync("alarm", "list");
        var id = list.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Single(p => p.StartsWith("memberID:", StringComparison.Ordinal))["memberID:".Length..];
        return ulong.Parse(id, CultureInfo.InvariantCulture).ToString("x", CultureInfo.InvariantCulture);
    }
}
