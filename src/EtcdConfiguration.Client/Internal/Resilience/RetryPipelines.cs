using Grpc.Core;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace EtcdConfiguration.Client.Internal.Resilience;

/// <summary>
/// The Polly pipelines of unary calls, all built from one <see cref="EtcdRetryPolicy"/>: until the first
/// connection, retry what never left until the dial timeout; then retry reads on any transient failure and
/// writes only when they never left, at most <see cref="EtcdClientOptions.MaxRetries"/> times.
/// </summary>
internal sealed class RetryPipelines
{
    /// <summary>Set on a dial when every endpoint has refused the TLS handshake: retrying until DialTimeout cannot help.</summary>
    public static readonly ResiliencePropertyKey<bool> EveryEndpointRejectsTls = new("etcd.every-endpoint-rejects-tls");

    private readonly TimeSpan _dialTimeout;
    private readonly int _maxRetries;
    private readonly EtcdRetryPolicy _policy;
    private readonly ILogger _logger;

    // Each built on its first use (two threads may both build one; either works): a client that only reads, such as
    // a configuration provider's, never needs the write pipeline, and at thousands of clients each is memory.
    private ResiliencePipeline? _dial;
    private ResiliencePipeline? _read;
    private ResiliencePipeline? _write;

    public RetryPipelines(EtcdClientOptions options, EtcdRetryPolicy policy, ILogger logger)
    {
        _dialTimeout = options.DialTimeout;
        _maxRetries = options.MaxRetries;
        _policy = policy;
        _logger = logger;
    }

    /// <summary>Before any endpoint has answered: retries until the dial timeout.</summary>
    public ResiliencePipeline Dial => _dial ??= new ResiliencePipelineBuilder { TimeProvider = _policy.TimeProvider }
        .AddTimeout(_dialTimeout)
        .AddRetry(CreateRetry(int.MaxValue, RpcFailure.NeverSent))
        .Build();

    /// <summary>Calls that may safely run twice.</summary>
    public ResiliencePipeline Read => _read ??= Build(_maxRetries, TransientFailures.IsTransient);

    /// <summary>Calls that must not run twice: retried only when the request never left.</summary>
    public ResiliencePipeline Write => _write ??= Build(_maxRetries, RpcFailure.NeverSent);

    private ResiliencePipeline Build(int maxRetries, Func<RpcException, bool> retryable) =>
        maxRetries == 0
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder { TimeProvider = _policy.TimeProvider }.AddRetry(CreateRetry(maxRetries, retryable)).Build();

    private RetryStrategyOptions CreateRetry(int maxRetries, Func<RpcException, bool> retryable) => new()
    {
        MaxRetryAttempts = maxRetries,
        DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(_policy.GetDelay(args.AttemptNumber)),
        ShouldHandle = args => ValueTask.FromResult(
            args.Outcome.Exception is RpcException rpc
            && !args.Context.CancellationToken.IsCancellationRequested
            && !args.Context.Properties.GetValue(EveryEndpointRejectsTls, false)
            && retryable(rpc)),
        OnRetry = args =>
        {
            _logger.LogDebug(
                "Retrying etcd {Operation} (attempt {Attempt}) in {Delay} ms after: {Reason}",
                args.Context.OperationKey,
                args.AttemptNumber + 1,
                (int)args.RetryDelay.TotalMilliseconds,
                FailureText.Describe(args.Outcome.Exception!));
            return ValueTask.CompletedTask;
        },
    };
}
