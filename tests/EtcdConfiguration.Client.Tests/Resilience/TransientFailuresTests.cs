using System.Net.Http;
using EtcdConfiguration.Client.Internal.Resilience;
using Grpc.Core;

namespace EtcdConfiguration.Client.Tests.Resilience;

public sealed class TransientFailuresTests
{
    [Theory]
    [InlineData(StatusCode.Unavailable, true)]
    [InlineData(StatusCode.DeadlineExceeded, true)]
    [InlineData(StatusCode.PermissionDenied, false)]
    [InlineData(StatusCode.InvalidArgument, false)]
    [InlineData(StatusCode.ResourceExhausted, false)]
    [InlineData(StatusCode.NotFound, false)]
    public void A_read_is_retried_only_on_transient_statuses(StatusCode status, bool transient)
    {
        Assert.Equal(transient, TransientFailures.IsTransient(Rpc(status)));
        Assert.Equal(transient, EtcdRetryPolicy.IsTransient(Rpc(status)));
    }

    [Fact]
    public void A_call_cut_by_its_connection_is_transient_whatever_its_status()
    {
        var cut = Rpc(StatusCode.ResourceExhausted, new HttpProtocolException(0xb, "ENHANCE_YOUR_CALM", null));

        Assert.True(TransientFailures.IsTransient(cut));
        Assert.False(TransientFailures.IsPermanentStreamFailure(cut));
    }

    [Theory]
    [InlineData(StatusCode.PermissionDenied)]
    [InlineData(StatusCode.InvalidArgument)]
    [InlineData(StatusCode.Unauthenticated)]
    [InlineData(StatusCode.ResourceExhausted)]
    [InlineData(StatusCode.Unimplemented)]
    [InlineData(StatusCode.FailedPrecondition)]
    public void A_stream_gives_up_when_etcd_refuses_the_request_itself(StatusCode status) =>
        Assert.True(TransientFailures.IsPermanentStreamFailure(Rpc(status)));

    [Theory]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.Internal)]
    [InlineData(StatusCode.Unknown)]
    [InlineData(StatusCode.Cancelled)]
    public void A_stream_reconnects_after_any_other_status(StatusCode status) =>
        Assert.False(TransientFailures.IsPermanentStreamFailure(Rpc(status)));

    [Fact]
    public void A_stream_reconnects_when_etcd_wants_a_new_token()
    {
        var expired = new RpcException(new Status(StatusCode.Unauthenticated, "etcdserver: invalid auth token"));

        Assert.False(TransientFailures.IsPermanentStreamFailure(expired));
        Assert.True(EtcdRetryPolicy.IsTransient(new EtcdInvalidAuthTokenException("etcdserver: invalid auth token")));
    }

    [Fact]
    public void Both_stream_loops_treat_the_same_exceptions_as_a_break()
    {
        Assert.True(TransientFailures.IsStreamBreak(new TimeoutException("no answer")));
        Assert.True(TransientFailures.IsStreamBreak(new IOException("reset")));
        Assert.True(TransientFailures.IsStreamBreak(new HttpRequestException("refused")));
        Assert.True(TransientFailures.IsStreamBreak(Rpc(StatusCode.Unavailable)));
        Assert.False(TransientFailures.IsStreamBreak(new InvalidOperationException("a bug")));
    }

    [Fact]
    public void Typed_client_failures_are_classified_by_what_they_mean()
    {
        Assert.True(EtcdRetryPolicy.IsTransient(new EtcdUnavailableException("down")));
        Assert.True(EtcdRetryPolicy.IsTransient(new EtcdDeadlineExceededException("slow")));
        Assert.True(EtcdRetryPolicy.IsTransient(new TimeoutException("slow")));
        Assert.True(EtcdRetryPolicy.IsTransient(new EtcdException("wrapped", "Range", "http://e:2379", StatusCode.Unavailable, null)));
        Assert.False(EtcdRetryPolicy.IsTransient(new EtcdCompactedException("gone", 5, "Watch", "http://e:2379", null)));
        Assert.False(EtcdRetryPolicy.IsTransient(new EtcdPermissionDeniedException("no")));
        Assert.False(EtcdRetryPolicy.IsTransient(new EtcdLeaseNotFoundException("no lease")));
        Assert.False(EtcdRetryPolicy.IsTransient(new OperationCanceledException()));
        Assert.False(EtcdRetryPolicy.IsTransient(new InvalidOperationException("a bug")));
        Assert.Throws<ArgumentNullException>(() => EtcdRetryPolicy.IsTransient(null!));
    }

    private static RpcException Rpc(StatusCode status, Exception? debug = null) =>
        new(new Status(status, $"{status} for a test", debug));
}
