using EtcdConfiguration.Client.Internal;
using EtcdConfiguration.Client.Internal.Leasing;
using Microsoft.Extensions.Time.Testing;

namespace EtcdConfiguration.Client.Tests.Lease;

/// <summary>The keep-alive's expiry rule on a fake clock: the last renewal's TTL, no more, no less.</summary>
public sealed class LeaseDeadlineTests
{
    [Fact]
    public void Before_the_first_renewal_the_ttl_is_unknown_and_nothing_expires()
    {
        var clock = new FakeTimeProvider();
        var deadline = new LeaseDeadline(clock);

        clock.Advance(TimeSpan.FromHours(1));

        Assert.Null(deadline.Ttl);
        Assert.Null(deadline.Remaining);
        Assert.False(deadline.HasExpired);
    }

    [Fact]
    public void A_lease_expires_exactly_when_the_last_renewals_ttl_has_passed()
    {
        var clock = new FakeTimeProvider();
        var deadline = new LeaseDeadline(clock);
        deadline.Renewed(5);

        clock.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        Assert.False(deadline.HasExpired);
        Assert.Equal(TimeSpan.FromTicks(1), deadline.Remaining);

        clock.Advance(TimeSpan.FromTicks(1));
        Assert.True(deadline.HasExpired);
        Assert.Equal(TimeSpan.Zero, deadline.Remaining);
    }

    [Fact]
    public void Each_renewal_starts_the_ttl_again_and_takes_the_ttl_etcd_gave_with_it()
    {
        var clock = new FakeTimeProvider();
        var deadline = new LeaseDeadline(clock);
        deadline.Renewed(6);

        for (var i = 0; i < 10; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(2));
            Assert.False(deadline.HasExpired);
            deadline.Renewed(6);
        }

        deadline.Renewed(3);
        clock.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(TimeSpan.FromSeconds(3), deadline.Ttl);
        Assert.True(deadline.HasExpired);
    }

    [Fact]
    public void A_known_ttl_counts_before_the_first_renewal_and_gives_way_to_the_renewals()
    {
        var clock = new FakeTimeProvider();
        var deadline = new LeaseDeadline(clock);
        deadline.Known(5);

        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(deadline.HasExpired);

        deadline.Renewed(8);
        deadline.Known(5);
        clock.Advance(TimeSpan.FromSeconds(7));

        Assert.Equal(TimeSpan.FromSeconds(8), deadline.Ttl);
        Assert.False(deadline.HasExpired);
    }
}
