using System.Diagnostics;
using EtcdConfiguration.Client.Tests.Watch;
using EtcdConfiguration.Testing;
using Xunit.Abstractions;

namespace EtcdConfiguration.Client.Tests.Lease;

/// <summary>A kept-alive lease that no member can renew any more is reported, not kept up as a belief.</summary>
public sealed class LeaseExpiryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KeepAlive_ends_with_EtcdLeaseExpiredException_once_the_ttl_runs_out_after_the_only_member_is_killed()
    {
        const int ttl = 5;
        await using var member = await EtcdCluster.StartAsync();
        var logs = new FakeLogCollector();
        using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [.. member.ClientUrls],
            DialTimeout = TimeSpan.FromSeconds(30),
            LoggerFactory = logs.CreateFactory(),
        });
        var lease = await client.Lease.GrantAsync(ttl);
        await using var keepAlive = new StreamProbe<LeaseKeepAliveResponse>(ct => client.Lease.KeepAliveAsync(lease.Id, ct));
        Assert.Equal(ttl, (await keepAlive.NextAsync()).Ttl);

        var sinceRenewal = Stopwatch.StartNew();
        await member.Members[0].KillAsync();
        var failure = await keepAlive.EndAsync(seconds: 60);
        output.WriteLine($"The keep-alive ended {sinceRenewal.Elapsed.TotalSeconds:0.000} s after the test saw the first renewal ({ttl} s TTL).");

        var expired = Assert.IsType<EtcdLeaseExpiredException>(failure);
        Assert.Equal(lease.Id, expired.LeaseId);
        Assert.Equal(TimeSpan.FromSeconds(ttl), expired.Ttl);
        Assert.Equal("Lease.KeepAlive", expired.Operation);
        Assert.Contains(member.ClientUrls[0], expired.Message, StringComparison.Ordinal);
        Assert.Contains(lease.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), expired.Message, StringComparison.Ordinal);
        Assert.False(EtcdRetryPolicy.IsTransient(expired));
        Assert.IsAssignableFrom<EtcdLeaseNotFoundException>(expired);
    }
}
