using EtcdConfiguration.Client.Internal.Resilience;
using Grpc.Core;

namespace EtcdConfiguration.Client.Internal.Leasing;

/// <summary>
/// Runs one LeaseKeepAlive stream from open to end: renews every lease at once on it, then sends each renewal when
/// it is due and hands each answer to the <see cref="LeaseTable"/>, until the stream breaks, a renewal goes
/// unanswered too long (a frozen member), or no lease is left.
/// </summary>
internal sealed class KeepAliveStream(EtcdConnection connection, LeaseTable leases)
{
    /// <summary>The longest the sender sleeps between two looks at the leases.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromMilliseconds(500);

    private int _streamsOpened;

    /// <summary>How many LeaseKeepAlive streams this client has opened (for tests: leases share one).</summary>
    public int StreamsOpened => Volatile.Read(ref _streamsOpened);

    /// <summary>
    /// Runs one stream until it breaks (returning why) or no lease is left (returning no cause); also tells whether
    /// etcd renewed anything on it.
    /// </summary>
    public async Task<(Exception? Cause, bool Renewed)> RunAsync(EndpointChannel endpoint, CancellationToken closing)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(closing);
        Exception? stalled = null;
        var renewed = false;
        string? token = null;
        var sending = Task.CompletedTask;
        AsyncDuplexStreamingCall<Wire.LeaseKeepAliveRequest, Wire.LeaseKeepAliveResponse>? call = null;
        try
        {
            var options = await connection.CreateCallOptionsAsync(endpoint, requireLeader: true, session.Token);
            token = connection.Auth.CurrentToken;
            call = endpoint.Lease.LeaseKeepAlive(options);
            Interlocked.Increment(ref _streamsOpened);
            if (!leases.TryAttach(session, endpoint))
            {
                return (null, false);
            }

            sending = SendLoopAsync(call.RequestStream, session, failure =>
            {
                stalled = failure;
                session.Cancel();
            });
            while (await call.ResponseStream.MoveNext(session.Token))
            {
                connection.ReportSuccess(endpoint);
                renewed = true;
                leases.OnRenewal(endpoint, call.ResponseStream.Current);
            }

            return (new EtcdUnavailableException($"etcd at {endpoint.Address} closed the lease keep-alive stream."), renewed);
        }
        catch (RpcException ex) when (RpcFailure.NeedsNewToken(ex))
        {
            connection.Auth.Invalidate(token);
            return (ex, renewed);
        }
        catch (RpcException ex) when (TransientFailures.IsPermanentStreamFailure(ex) && !session.IsCancellationRequested)
        {
            leases.FailAll(EtcdErrorTranslator.Translate(ex, "Lease.KeepAlive", endpoint.Address, connection.Auth.Username));
            return (null, renewed);
        }
        catch (Exception ex) when (TransientFailures.IsStreamBreak(ex))
        {
            if (stalled is not null)
            {
                return (stalled, renewed);
            }

            lock (leases.Gate)
            {
                // Canceled because the last lease left: nothing broke.
                return (leases.Count == 0 || closing.IsCancellationRequested ? null : ex, renewed);
            }
        }
        finally
        {
            leases.Detach(session);
            await session.CancelAsync();
            call?.Dispose();
            await sending;
        }
    }

    /// <summary>
    /// Sends each lease's renewal when it is due, and gives up on the stream when a renewal goes unanswered for
    /// longer than the request timeout (a frozen member).
    /// </summary>
    private async Task SendLoopAsync(IClientStreamWriter<Wire.LeaseKeepAliveRequest> writer, CancellationTokenSource session, Action<Exception> onFailure)
    {
        var timeout = connection.Options.RequestTimeout;
        var due = new List<long>();
        try
        {
            while (!session.IsCancellationRequested)
            {
                var wait = LongestWait;
                due.Clear();

                // Taken before looking, so a lease added after the look wakes the sender.
                var wakeup = leases.Wakeup;
                if (leases.TakeDue(timeout, due, ref wait) is { } stall)
                {
                    onFailure(stall);
                    return;
                }

                foreach (var id in due)
                {
                    await writer.WriteAsync(new Wire.LeaseKeepAliveRequest { ID = id }, session.Token);
                }

                await Task.WhenAny(wakeup, Task.Delay(wait, session.Token));
            }
        }
        catch (OperationCanceledException) when (session.IsCancellationRequested)
        {
            // The stream ended; its reader says why.
        }
        catch (Exception ex) when (TransientFailures.IsSendFailure(ex))
        {
            onFailure(ex);
        }
    }
}
