using System.Diagnostics;
using System.Threading.Channels;
using EtcdConfiguration.Client.Internal.Resilience;
using Grpc.Core;

namespace EtcdConfiguration.Client.Internal.Watching;

/// <summary>
/// The state of one gRPC Watch stream: the creates etcd has yet to answer (in order, since etcd answers creates
/// in the order it receives them), the watch ids it assigned, the queue of requests to send, and why it ended.
/// Everything but <see cref="SendLoopAsync"/> runs under the <see cref="WatchMultiplexer"/>'s lock.
/// </summary>
internal sealed class WatchSession : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Channel<Wire.WatchRequest> _outbox = Channel.CreateUnbounded<Wire.WatchRequest>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly Queue<PendingCreate> _pendingCreates = new();
    private readonly Dictionary<long, WatchSubscription> _byId = [];
    private readonly Dictionary<WatchSubscription, long> _idOf = [];

    public WatchSession(EndpointChannel endpoint, CancellationToken closing)
    {
        Endpoint = endpoint;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(closing);
    }

    public EndpointChannel Endpoint { get; }

    /// <summary>Canceled when the session ends, for whatever reason.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>The auth token the stream was opened with, so a rejection invalidates exactly that one.</summary>
    public string? AuthToken { get; set; }

    /// <summary>Whether etcd created at least one watch on this stream (the reconnect backoff starts over then).</summary>
    public bool CreatedAny { get; private set; }

    /// <summary>Why the session ended; <see langword="null"/> while it runs. The first reason wins.</summary>
    public WatchSessionEnd? End { get; private set; }

    public IEnumerable<WatchSubscription> Established => _byId.Values;

    /// <summary>Sends a create for <paramref name="watcher"/>, resuming after what it has delivered.</summary>
    public void QueueCreate(WatchSubscription watcher)
    {
        _pendingCreates.Enqueue(new PendingCreate(watcher, Stopwatch.GetTimestamp()));
        _outbox.Writer.TryWrite(watcher.NextCreateRequest());
    }

    /// <summary>The oldest create not answered yet and when it was sent.</summary>
    public bool TryPeekPending(out PendingCreate pending) => _pendingCreates.TryPeek(out pending);

    public bool TryTakePending(out PendingCreate pending) => _pendingCreates.TryDequeue(out pending);

    public void Register(long watchId, WatchSubscription watcher)
    {
        _byId[watchId] = watcher;
        _idOf[watcher] = watchId;
        CreatedAny = true;
    }

    public bool TryGet(long watchId, out WatchSubscription watcher) => _byId.TryGetValue(watchId, out watcher!);

    /// <summary>Forgets <paramref name="watcher"/>'s id, after etcd canceled it.</summary>
    public void Forget(WatchSubscription watcher)
    {
        if (_idOf.Remove(watcher, out var id))
        {
            _byId.Remove(id);
        }
    }

    /// <summary>Asks etcd to cancel <paramref name="watcher"/>, when it has an id on this stream yet.</summary>
    public void Cancel(WatchSubscription watcher)
    {
        if (_idOf.Remove(watcher, out var id))
        {
            _byId.Remove(id);
            SendCancel(id);
        }
    }

    public void SendCancel(long watchId) =>
        _outbox.Writer.TryWrite(new Wire.WatchRequest { CancelRequest = new Wire.WatchCancelRequest { WatchId = watchId } });

    public bool SendProgressRequest() =>
        End is null && _outbox.Writer.TryWrite(new Wire.WatchRequest { ProgressRequest = new Wire.WatchProgressRequest() });

    /// <summary>Ends the session (the first call decides why) and cancels its stream.</summary>
    public void Stop(WatchSessionEnd end)
    {
        if (End is not null)
        {
            return;
        }

        End = end;
        _outbox.Writer.TryComplete();
        _stop.Cancel();
    }

    /// <summary>Writes queued requests to the stream, one at a time, until the session ends.</summary>
    public async Task SendLoopAsync(IClientStreamWriter<Wire.WatchRequest> writer, Action<Exception> onFailure)
    {
        try
        {
            await foreach (var request in _outbox.Reader.ReadAllAsync(Token))
            {
                await writer.WriteAsync(request, Token);
            }
        }
        catch (OperationCanceledException) when (Token.IsCancellationRequested)
        {
            // The session ended; its end says why.
        }
        catch (Exception ex) when (TransientFailures.IsSendFailure(ex))
        {
            onFailure(ex);
        }
    }

    public void Dispose() => _stop.Dispose();

    /// <summary>A create sent and not answered yet; <c>SentAt</c> is a <see cref="Stopwatch"/> timestamp.</summary>
    internal readonly record struct PendingCreate(WatchSubscription Watcher, long SentAt);
}
