using EtcdConfiguration.Client.Internal.Resilience;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Timeout;

namespace EtcdConfiguration.Client.Internal;

/// <summary>
/// The client's link to the cluster: one channel per endpoint, the endpoint in use, failover, authentication
/// and the retry policy. Every unary call goes through <see cref="UnaryAsync{TResponse}(string, Func{EndpointChannel, CallOptions, Task{TResponse}}, bool, CancellationToken, long, bool)"/>;
/// streams (watch, lease keep-alive) use <see cref="Current"/>, <see cref="CreateCallOptionsAsync"/>,
/// <see cref="ReportFailure"/> and <see cref="Policy"/> to reconnect by themselves.
/// </summary>
internal sealed class EtcdConnection : IDisposable
{
    private readonly ChannelFactory _channels;
    private readonly RetryPipelines _pipelines;
    private readonly Lock _endpointsGate = new();
    private readonly List<EndpointChannel> _retired = [];
    private EndpointSet _set;
    private volatile bool _connected;
    private bool _disposed;

    public EtcdConnection(EtcdClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("EtcdConfiguration.Client.EtcdClient");
        _channels = new ChannelFactory(options);
        _set = new EndpointSet([.. _channels.Create(options.Endpoints, [])], 0);
        Auth = new AuthTokenCache(options.Username, options.Password, options.RequestTimeout, Logger);
        Policy = new EtcdRetryPolicy(options);
        _pipelines = new RetryPipelines(options, Policy, Logger);
    }

    /// <summary>
    /// Raised after <see cref="SetEndpoints"/> changed the list, with the endpoints that left it: the stream loops
    /// end a stream open on one of them, so it reconnects to the new list.
    /// </summary>
    public event Action<IReadOnlyList<EndpointChannel>>? EndpointsChanged;

    public EtcdClientOptions Options { get; }

    /// <summary>What is transient and how long to wait: the one policy of every retry and reconnect.</summary>
    public EtcdRetryPolicy Policy { get; }

    public ILogger Logger { get; }

    public AuthTokenCache Auth { get; }

    /// <summary>The endpoints in use now; <see cref="SetEndpoints"/> may replace them at any time.</summary>
    public IReadOnlyList<EndpointChannel> Endpoints => Volatile.Read(ref _set).Channels;

    /// <summary>Every endpoint, comma-separated, for messages.</summary>
    public string EndpointList => Volatile.Read(ref _set).Description;

    /// <summary>The endpoint calls go to now.</summary>
    public EndpointChannel Current => Volatile.Read(ref _set).Current;

    /// <summary>
    /// Replaces the endpoints (Go's <c>SetEndpoints</c>): later calls and reconnects use the new list, staying on
    /// the current endpoint when it is still in it. Channels of endpoints that left are closed once calls already
    /// running on them have had <see cref="EtcdClientOptions.RequestTimeout"/> to finish; streams on them are moved
    /// at once. Returns whether the list changed.
    /// </summary>
    /// <exception cref="ArgumentException">An endpoint is not an http(s) URL with a host and port, or none is given.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public bool SetEndpoints(IEnumerable<string> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        List<EndpointChannel> removed;
        EndpointSet set;
        lock (_endpointsGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(EtcdClient));
            var old = Volatile.Read(ref _set);
            var channels = _channels.Create(endpoints, old.Channels);
            if (channels.SequenceEqual(old.Channels))
            {
                return false;
            }

            // Only a failover may change the set meanwhile (same channels, another current one): keep its choice.
            do
            {
                old = Volatile.Read(ref _set);
                set = new EndpointSet([.. channels], Math.Max(channels.IndexOf(old.Current), 0));
            }
            while (Interlocked.CompareExchange(ref _set, set, old) != old);

            removed = old.Channels.Except(channels).ToList();
            _retired.AddRange(removed);
        }

        Logger.LogInformation("etcd endpoints changed to {Endpoints}; calls go to {Current}.", set.Description, set.Current.Address);
        if (removed.Count > 0)
        {
            EndpointsChanged?.Invoke(removed);
            _ = CloseLaterAsync(removed);
        }

        return true;
    }

    /// <summary>Whether any endpoint has answered yet; until then <see cref="EtcdClientOptions.DialTimeout"/> applies.</summary>
    public bool HasConnected => _connected;

    /// <summary>Records that an endpoint answered.</summary>
    public void ReportSuccess(EndpointChannel endpoint)
    {
        if (!_connected)
        {
            _connected = true;
            Logger.LogInformation("Connected to etcd at {Endpoint}.", endpoint.Address);
        }
    }

    /// <summary>
    /// Records that an endpoint failed and moves calls to the next one (only if it was still the current one,
    /// so concurrent failures of the same endpoint move once). Returns the endpoint to use now.
    /// </summary>
    public EndpointChannel ReportFailure(EndpointChannel failed, Exception cause)
    {
        var set = Volatile.Read(ref _set);
        if (set.Channels.Length > 1 && ReferenceEquals(set.Current, failed))
        {
            var next = set.Next();
            if (Interlocked.CompareExchange(ref _set, next, set) == set)
            {
                // Debug: during an outage every attempt moves on; the caller's error or the watch stream's one
                // Warning per break is what the app sees.
                Logger.LogDebug(
                    "etcd endpoint {Endpoint} failed ({Reason}); switching to {Next}.",
                    failed.Address,
                    FailureText.Describe(cause),
                    next.Current.Address);
            }
        }

        return Current;
    }

    /// <summary>Call options for a stream on <paramref name="endpoint"/>: the auth token and, if asked, etcd's require-leader flag.</summary>
    public async ValueTask<CallOptions> CreateCallOptionsAsync(EndpointChannel endpoint, bool requireLeader, CancellationToken cancellationToken)
    {
        var headers = await Auth.GetHeadersAsync(endpoint, cancellationToken);
        if (requireLeader)
        {
            headers ??= new Metadata();
            headers.Add("hasleader", "true");
        }

        return new CallOptions(headers, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Runs one unary call with the client's policy: the per-attempt deadline, a fresh token once when etcd
    /// rejects the old one, failover to the next endpoint, and retries when safe (<paramref name="idempotent"/>
    /// calls on any transient failure, others only when the request never left). Failures come out typed.
    /// </summary>
    public Task<TResponse> UnaryAsync<TResponse>(
        string operation,
        Func<EndpointChannel, CallOptions, AsyncUnaryCall<TResponse>> call,
        bool idempotent,
        CancellationToken cancellationToken,
        long leaseId = 0) =>
        UnaryAsync(operation, (endpoint, options) => call(endpoint, options).ResponseAsync, idempotent, cancellationToken, leaseId);

    /// <summary>
    /// Runs one request-response exchange that is not a unary gRPC call (a keep-alive sent once on its stream)
    /// with the same policy; with <paramref name="requireLeader"/> etcd refuses it on a member without a leader.
    /// </summary>
    public async Task<TResponse> UnaryAsync<TResponse>(
        string operation,
        Func<EndpointChannel, CallOptions, Task<TResponse>> call,
        bool idempotent,
        CancellationToken cancellationToken,
        long leaseId = 0,
        bool requireLeader = false)
    {
        // EtcdClientOptions.RequireLeader adds the same flag to every unary call.
        var attempt = new UnaryAttempt<TResponse>(this, operation, call, requireLeader || Options.RequireLeader);
        var pipeline = !_connected ? _pipelines.Dial : idempotent ? _pipelines.Read : _pipelines.Write;
        var context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        return Outcome.FromResult(await state.RunAsync(ctx.CancellationToken));
                    }
                    catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && ctx.CancellationToken.IsCancellationRequested)
                    {
                        // gRPC reports a canceled call as an RpcException; Polly's timeout (the dial timeout) only
                        // recognises its own cancellation as an OperationCanceledException.
                        return Outcome.FromException<TResponse>(new OperationCanceledException(ex.Status.Detail, ex, ctx.CancellationToken));
                    }
                    catch (RpcException ex)
                    {
                        if (state.EveryEndpointRejectedTls)
                        {
                            ctx.Properties.Set(RetryPipelines.EveryEndpointRejectsTls, true);
                        }

                        return Outcome.FromException<TResponse>(ex);
                    }
                    catch (OperationCanceledException ex)
                    {
                        return Outcome.FromException<TResponse>(ex);
                    }
                },
                context,
                attempt);
            if (outcome.Exception is null)
            {
                return outcome.Result!;
            }

            throw Translate(outcome.Exception, operation, attempt.Endpoint, attempt.LastFailure, leaseId, cancellationToken);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public void Dispose()
    {
        List<EndpointChannel> channels;
        lock (_endpointsGate)
        {
            _disposed = true;
            channels = [.. Volatile.Read(ref _set).Channels, .. _retired];
            _retired.Clear();
        }

        foreach (var endpoint in channels)
        {
            endpoint.Dispose();
        }

        Auth.Dispose();
    }

    /// <summary>Closes the channels of endpoints that left the list, once calls running on them have had their time.</summary>
    private async Task CloseLaterAsync(List<EndpointChannel> removed)
    {
        await Task.Delay(Options.RequestTimeout, TimeProvider.System).ConfigureAwait(false);
        lock (_endpointsGate)
        {
            // Disposing the client closed them already; an endpoint set again meanwhile is in use once more.
            removed.RemoveAll(channel => !_retired.Remove(channel) || Volatile.Read(ref _set).Channels.Contains(channel));
        }

        foreach (var channel in removed)
        {
            channel.Dispose();
        }
    }

    private Exception Translate(Exception failure, string operation, EndpointChannel? endpoint, RpcException? lastFailure, long leaseId, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            // A caller's deadline (a provider's startup timeout) may end a call the client was still retrying: the
            // last failure is what the caller needs to say why, so it becomes the inner exception.
            return lastFailure is null
                ? new OperationCanceledException($"etcd {operation} was canceled.", failure, cancellationToken)
                : new OperationCanceledException(
                    $"etcd {operation} was canceled; last error: {FailureText.EndSentence(FailureText.Describe(lastFailure))}",
                    Translate(lastFailure, operation, endpoint, null, leaseId, CancellationToken.None),
                    cancellationToken);
        }

        return failure switch
        {
            TimeoutRejectedException => new EtcdUnavailableException(
                $"etcd {operation} failed: could not connect to any of the endpoints {EndpointList} within the dial timeout of {Options.DialTimeout.TotalSeconds:0.###} s (DialTimeout)"
                + (lastFailure is null ? "; none answered." : $"; last error: {FailureText.EndSentence(FailureText.Describe(lastFailure))}"),
                operation,
                endpoint?.Address,
                StatusCode.Unavailable,
                failure),
            RpcException rpc when !_connected && RpcFailure.NeverSent(rpc) => new EtcdUnavailableException(
                $"etcd {operation} failed: could not connect to any of the endpoints {EndpointList}: {FailureText.EndSentence(FailureText.Describe(rpc))}{ClientCertificateHint(rpc, endpoint)}",
                operation,
                endpoint?.Address,
                StatusCode.Unavailable,
                failure),
            RpcException rpc => EtcdErrorTranslator.Translate(rpc, operation, endpoint?.Address, Auth.Username, leaseId, ClientCertificateHint(rpc, endpoint)),
            _ => failure,
        };
    }

    /// <summary>
    /// etcd with <c>--client-cert-auth</c> closes a TLS 1.3 connection that brought no client certificate right
    /// after the handshake, which .NET reports only as an HTTP/2 connection that could not be established; when
    /// that may be the cause, the message says so.
    /// </summary>
    private string? ClientCertificateHint(RpcException rpc, EndpointChannel? endpoint) =>
        !_connected
        && endpoint?.Address.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true
        && Options.ClientCertificate is null
        && Options.ClientCertificateFile is null
        && rpc.Status.DebugException is HttpRequestException { HttpRequestError: not (HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError) }
            ? " If the server requires client certificates (etcd --client-cert-auth), configure ClientCertificateFile and ClientKeyFile."
            : null;
}
