using System.Diagnostics;
using EtcdConfiguration.Client.Internal.Resilience;
using Grpc.Core;

namespace EtcdConfiguration.Client.Internal.Watching;

/// <summary>
/// Runs one gRPC Watch stream from open to end: opens it with the current token, creates every watch on it, sends
/// what the session queues, hands each response to the <see cref="WatchResponseRouter"/>, and ends the session
/// (saying why) when the stream breaks, etcd refuses the token, or a create goes unanswered too long.
/// </summary>
internal sealed class WatchStreamRunner(EtcdConnection connection, WatchRegistry registry, WatchResponseRouter router, WatchStreamHealth health)
{
    private int _streamsOpened;

    /// <summary>How many Watch streams this client has opened (for tests: watches share one).</summary>
    public int StreamsOpened => Volatile.Read(ref _streamsOpened);

    /// <summary>Opens one stream, creates every watch on it and routes what comes back, until it ends.</summary>
    public async Task<WatchSessionEnd> RunAsync(WatchSession session)
    {
        CallOptions callOptions;
        try
        {
            callOptions = await connection.CreateCallOptionsAsync(session.Endpoint, requireLeader: true, session.Token);
            session.AuthToken = connection.Auth.CurrentToken;
        }
        catch (RpcException ex) when (TransientFailures.IsPermanentStreamFailure(ex) && !session.Token.IsCancellationRequested)
        {
            // Wrong credentials, for instance: retrying cannot help.
            registry.FailAll(EtcdErrorTranslator.Translate(ex, "Auth.Authenticate", session.Endpoint.Address, connection.Auth.Username));
            return WatchSessionEnd.Idle;
        }
        catch (Exception ex) when (TransientFailures.IsStreamBreak(ex))
        {
            return session.End ?? WatchSessionEnd.Broken(ex);
        }

        var call = session.Endpoint.Watch.Watch(callOptions);
        var sending = Task.CompletedTask;
        var watchdog = Task.CompletedTask;
        try
        {
            Interlocked.Increment(ref _streamsOpened);
            if (!registry.TryAttach(session))
            {
                return session.End!;
            }

            sending = session.SendLoopAsync(call.RequestStream, ex => registry.Stop(session, WatchSessionEnd.Broken(ex)));
            watchdog = WatchCreatesAsync(session);
            while (await call.ResponseStream.MoveNext(session.Token))
            {
                connection.ReportSuccess(session.Endpoint);
                lock (registry.Gate)
                {
                    if (session.End is null)
                    {
                        router.Route(session, call.ResponseStream.Current);
                    }
                }

                health.Answered(session);
                if (session.End is not null)
                {
                    break;
                }
            }

            registry.Stop(session, WatchSessionEnd.Broken(new EtcdUnavailableException($"etcd at {session.Endpoint.Address} closed the watch stream.")));
        }
        catch (RpcException ex) when (RpcFailure.NeedsNewToken(ex))
        {
            connection.Auth.Invalidate(session.AuthToken);
            registry.Stop(session, WatchSessionEnd.NewToken(ex));
        }
        catch (RpcException ex) when (TransientFailures.IsPermanentStreamFailure(ex) && session.End is null)
        {
            registry.FailAll(EtcdErrorTranslator.Translate(ex, "Watch", session.Endpoint.Address, connection.Auth.Username));
            registry.Stop(session, WatchSessionEnd.Idle);
        }
        catch (Exception ex) when (TransientFailures.IsStreamBreak(ex))
        {
            registry.Stop(session, WatchSessionEnd.Broken(ex));
        }
        finally
        {
            call.Dispose();
            await Task.WhenAll(sending, watchdog);
        }

        return session.End!;
    }

    /// <summary>
    /// Ends the session when etcd leaves a create unanswered for longer than the request timeout: the member
    /// is frozen or cut off, even if its connection still looks alive.
    /// </summary>
    private async Task WatchCreatesAsync(WatchSession session)
    {
        var timeout = connection.Options.RequestTimeout;
        var period = TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 4, 50, 1000));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(session.Token))
            {
                lock (registry.Gate)
                {
                    if (session.TryPeekPending(out var pending) && Stopwatch.GetElapsedTime(pending.SentAt) > timeout)
                    {
                        session.Stop(WatchSessionEnd.Broken(new TimeoutException(
                            $"etcd at {session.Endpoint.Address} did not answer a watch create within {timeout.TotalSeconds:0.###} s (RequestTimeout).")));
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The session ended.
        }
    }
}
