using System.Runtime.CompilerServices;
using System.Text;
using EtcdConfiguration.Client.Internal;
using EtcdConfiguration.Client.Internal.Watching;

namespace EtcdConfiguration.Client;

/// <summary>
/// Watches: streams of changes to a key, a prefix or a range. Every watch of a client shares one gRPC stream,
/// which survives broken connections: it fails over to the next endpoint and resumes each watch after the last
/// revision it delivered, so a watch sees every change once, in order, with no gap and no duplicate.
/// </summary>
/// <example>
/// <code>
/// await foreach (var response in client.Watch.WatchAsync("config_key", cancellationToken: stopping))
/// {
///     foreach (var e in response.Events) { Apply(e.Kv.Value); }
/// }
/// </code>
/// </example>
public sealed class WatchClient
{
    private readonly WatchMultiplexer _multiplexer;

    internal WatchClient(EtcdConnection connection) => _multiplexer = new WatchMultiplexer(connection, this);

    /// <summary>
    /// Raised when the shared Watch stream breaks: which endpoint, why, and when and where the client will reconnect
    /// (it does so by itself; the watches lose nothing). Raised when the stream breaks and again for each reconnect
    /// that fails, before the wait.
    /// </summary>
    /// <remarks>
    /// Handlers run on the client's watch loop, which waits for them: they must be quick and must not block on a
    /// watch. A handler that throws is logged and ignored. Together with <see cref="StreamRestored"/>,
    /// <see cref="IsStreamBroken"/> and <see cref="StreamEndpoint"/> it is what a health check needs.
    /// </remarks>
    public event EventHandler<WatchStreamBrokenEventArgs>? StreamBroken
    {
        add => _multiplexer.Health.StreamBroken += value;
        remove => _multiplexer.Health.StreamBroken -= value;
    }

    /// <summary>
    /// Raised when, after a <see cref="StreamBroken"/>, etcd created a watch on a new stream: the watches are live
    /// again. Handlers run on the watch loop, as for <see cref="StreamBroken"/>.
    /// </summary>
    public event EventHandler<WatchStreamRestoredEventArgs>? StreamRestored
    {
        add => _multiplexer.Health.StreamRestored += value;
        remove => _multiplexer.Health.StreamRestored -= value;
    }

    /// <summary>
    /// Whether the shared Watch stream broke and no watch has been created on a new stream since: between a
    /// <see cref="StreamBroken"/> and the next <see cref="StreamRestored"/>. <see langword="false"/> while it works.
    /// </summary>
    public bool IsStreamBroken => _multiplexer.Health.IsBroken;

    /// <summary>The endpoint the shared Watch stream is open on; <see langword="null"/> while none is (no watch runs, or it is reconnecting).</summary>
    public string? StreamEndpoint => _multiplexer.StreamEndpoint;

    /// <summary>How many Watch streams this client has opened so far.</summary>
    internal int StreamsOpened => _multiplexer.StreamsOpened;

    /// <summary>
    /// Watches <paramref name="key"/> (with <see cref="WatchOptions.Prefix"/>, every key starting with it) and yields
    /// its changes as they happen.
    /// </summary>
    /// <param name="key">The key, prefix or range start, as UTF-8.</param>
    /// <param name="options">Range, start revision, filters and extras; <see langword="null"/> for one key from now.</param>
    /// <param name="cancellationToken">Ends the watch (etcd is told to cancel it) with an <see cref="OperationCanceledException"/>.</param>
    /// <returns>
    /// The watch's responses: first one with <see cref="WatchResponse.Created"/> set, then the changes in revision
    /// order, and progress notifications when asked for. The watch starts when the enumeration does, and stops when
    /// it is disposed or canceled, or when <see cref="CloseAllAsync"/> or the client's disposal ends it (then the
    /// enumeration just ends).
    /// </returns>
    /// <exception cref="ArgumentException">The options contradict each other.</exception>
    /// <exception cref="EtcdCompactedException">(While enumerating) the start revision, or the watch's place in history, was compacted away.</exception>
    /// <exception cref="EtcdPermissionDeniedException">(While enumerating) the user may not read the watched keys.</exception>
    /// <exception cref="EtcdException">(While enumerating) etcd canceled the watch for another reason.</exception>
    public IAsyncEnumerable<WatchResponse> WatchAsync(string key, WatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return WatchAsync(Encoding.UTF8.GetBytes(key), options, cancellationToken);
    }

    /// <summary>Watches a key given as bytes; see <see cref="WatchAsync(string, WatchOptions?, CancellationToken)"/>.</summary>
    /// <param name="key">The key, prefix or range start.</param>
    /// <param name="options">Range, start revision, filters and extras; <see langword="null"/> for one key from now.</param>
    /// <param name="cancellationToken">Ends the watch with an <see cref="OperationCanceledException"/>.</param>
    /// <returns>The watch's responses, as for the string overload.</returns>
    /// <exception cref="ArgumentException">The options contradict each other.</exception>
    public IAsyncEnumerable<WatchResponse> WatchAsync(ReadOnlyMemory<byte> key, WatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = WatchRequests.Create(key, options);
        return ReadAsync(request, cancellationToken);
    }

    /// <summary>
    /// Asks etcd for a progress notification on every watch of this client: each running watch yields a response
    /// with <see cref="WatchResponse.IsProgressNotify"/> set, whose header revision is etcd's current one. Does
    /// nothing while no watch runs or the stream is reconnecting.
    /// </summary>
    /// <param name="cancellationToken">Not needed for the request, which is only queued; accepted for symmetry.</param>
    /// <returns>A task that completes once the request is queued on the stream.</returns>
    public Task RequestProgressAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _multiplexer.RequestProgress();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Ends every watch of this client without disposing it (Go's <c>Watcher.Close</c>): their enumerations finish
    /// normally, etcd's watches and the shared stream close. Later watches open a new stream.
    /// </summary>
    /// <returns>A task that completes when the stream's loop has stopped.</returns>
    public Task CloseAllAsync() => _multiplexer.CloseAsync(dispose: false);

    /// <summary>Ends every watch and closes the stream for good (on client dispose).</summary>
    internal Task CloseAsync() => _multiplexer.CloseAsync(dispose: true);

    /// <summary>Runs a watch built by the caller (the namespace view prefixes its keys first).</summary>
    internal async IAsyncEnumerable<WatchResponse> ReadAsync(Wire.WatchCreateRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var watcher = _multiplexer.Add(request);
        try
        {
            while (await watcher.Reader.WaitToReadAsync(cancellationToken))
            {
                while (watcher.Reader.TryRead(out var response))
                {
                    yield return response;
                }
            }
        }
        finally
        {
            _multiplexer.Remove(watcher);
        }
    }
}
