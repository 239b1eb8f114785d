using System.Diagnostics;
using EtcdConfiguration.Client.Internal.Leasing;
using Microsoft.Extensions.Time.Testing;

namespace EtcdConfiguration.Client.Tests.Lease;

/// <summary>
/// One lease's renewal schedule, with the sender's clock readings passed in: renew at once, nothing more while a
/// renewal is in flight, a stalled stream once it goes unanswered too long, and a third of the TTL between renewals.
/// </summary>
public sealed class KeptLeaseTests
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public void A_new_lease_is_renewed_at_once_then_waits_for_the_answer_and_stalls_after_the_request_timeout()
    {
        var lease = new KeptLease(7, new FakeTimeProvider());
        var now = Stopwatch.GetTimestamp();
        var wait = TimeSpan.FromMilliseconds(500);

        Assert.Equal(KeptLease.RenewalStep.Send, lease.Step(now, _timeout, ref wait));
        Assert.True(lease.InFlight);
        Assert.Equal(KeptLease.RenewalStep.Wait, lease.Step(now + Ticks(_timeout), _timeout, ref wait));
        Assert.Equal(KeptLease.RenewalStep.Stalled, lease.Step(now + Ticks(_timeout + TimeSpan.FromMilliseconds(1)), _timeout, ref wait));
        Assert.Equal(TimeSpan.FromMilliseconds(500), wait);
    }

    [Fact]
    public void After_a_renewal_the_next_is_due_a_third_of_the_ttl_later_and_RenewNow_brings_it_forward()
    {
        var lease = new KeptLease(7, new FakeTimeProvider());
        var longest = TimeSpan.FromHours(1);
        var first = longest;
        lease.Step(Stopwatch.GetTimestamp(), _timeout, ref first);

        lease.Renewed(30);
        var now = Stopwatch.GetTimestamp();
        var wait = longest;

        Assert.False(lease.InFlight);
        Assert.Equal(TimeSpan.FromSeconds(30), lease.Deadline.Ttl);
        Assert.Equal(KeptLease.RenewalStep.Wait, lease.Step(now, _timeout, ref wait));
        Assert.InRange(wait, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.Equal(KeptLease.RenewalStep.Send, lease.Step(now + Ticks(TimeSpan.FromSeconds(10)), _timeout, ref wait));

        lease.Renewed(30);
        lease.RenewNow();
        wait = longest;
        Assert.Equal(KeptLease.RenewalStep.Send, lease.Step(Stopwatch.GetTimestamp(), _timeout, ref wait));
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
