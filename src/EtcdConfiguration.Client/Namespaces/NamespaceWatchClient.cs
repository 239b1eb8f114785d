using System.Runtime.CompilerServices;
using System.Text;
using EtcdConfiguration.Client.Internal;
using EtcdConfiguration.Client.Internal.Watching;

namespace EtcdConfiguration.Client.Namespaces;

/// <summary>
/// Watches inside a namespace (Go's <c>namespace.NewWatcher</c>): the key, prefix or range watched is relative to
/// <see cref="EtcdNamespace.Prefix"/>, and the events' keys (and previous keys) come back relative to it. It shares
/// the client's one watch stream.
/// </summary>
public sealed class NamespaceWatchClient
{
    private readonly WatchClient _watch;
    private readonly KeyPrefix _prefix;

    internal NamespaceWatchClient(WatchClient watch, KeyPrefix prefix)
    {
        _watch = watch;
        _prefix = prefix;
    }

    /// <summary>Watches a key, prefix or range of the namespace; see <see cref="WatchClient.WatchAsync(string, WatchOptions?, CancellationToken)"/>.</summary>
    /// <param name="key">The key, prefix or range start, relative to the namespace.</param>
    /// <param name="options">Range, start revision, filters and extras; <see langword="null"/> for one key from now.</param>
    /// <param name="cancellationToken">Ends the watch with an <see cref="OperationCanceledException"/>.</param>
    /// <returns>The watch's responses, their keys relative to the namespace.</returns>
    public IAsyncEnumerable<WatchResponse> WatchAsync(string key, WatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return WatchAsync(Encoding.UTF8.GetBytes(key), options, cancellationToken);
    }

    /// <inheritdoc cref="WatchAsync(string, WatchOptions?, CancellationToken)"/>
    public IAsyncEnumerable<WatchResponse> WatchAsync(ReadOnlyMemory<byte> key, WatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = _prefix.Add(WatchRequests.Create(key, options));
        return StripAsync(_watch.ReadAsync(request, cancellationToken), cancellationToken);
    }

    /// <summary>Asks for a progress notification on every watch of the client; see <see cref="WatchClient.RequestProgressAsync"/>.</summary>
    /// <param name="cancellationToken">Accepted for symmetry.</param>
    /// <returns>A task that completes once the request is queued.</returns>
    public Task RequestProgressAsync(CancellationToken cancellationToken = default) => _watch.RequestProgressAsync(cancellationToken);

    private async IAsyncEnumerable<WatchResponse> StripAsync(IAsyncEnumerable<WatchResponse> responses, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var response in responses.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (response.Events.Count == 0)
            {
                yield return response;
                continue;
            }

            var events = response.Events.Select(e => new WatchEvent(e.Type, _prefix.Strip(e.Kv)!, _prefix.Strip(e.PrevKv))).ToArray();
            yield return new WatchResponse(response.Header, events, response.Created);
        }
    }
}
