using System.Text;

namespace EtcdConfiguration.Client.Concurrency;

/// <summary>
/// The waiting shared by <see cref="Mutex"/> and <see cref="Election"/>: until every key under a prefix created
/// before ours is deleted, the way Go's <c>concurrency</c> package waits, so that both interoperate with it.
/// </summary>
internal static class Waits
{
    /// <summary>
    /// Waits until no key under <paramref name="prefix"/> has a create revision at or below
    /// <paramref name="maxCreateRevision"/>, watching only the newest of them at a time (each waiter watches the one
    /// just ahead of it, so a release wakes one waiter, not all).
    /// </summary>
    /// <returns>The header of the read that found no older key.</returns>
    public static async Task<ResponseHeader> WaitDeletesAsync(EtcdClient client, string prefix, long maxCreateRevision, CancellationToken cancellationToken)
    {
        var older = new GetOptions
        {
            Prefix = true,
            SortTarget = SortTarget.CreateRevision,
            SortOrder = SortOrder.Descend,
            Limit = 1,
            MaxCreateRevision = maxCreateRevision,
        };
        while (true)
        {
            var response = await client.KV.GetAsync(prefix, older, cancellationToken).ConfigureAwait(false);
            if (response.Kvs.Count == 0)
            {
                return response.Header;
            }

            await WaitDeleteAsync(client, response.Kvs[0].KeyBytes, response.Header.Revision, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The first key under <paramref name="prefix"/> by create revision: the lock holder or the leader.</summary>
    public static async Task<GetResponse> FirstCreatedAsync(EtcdClient client, string prefix, CancellationToken cancellationToken) =>
        await client.KV.GetAsync(prefix, FirstCreated(), cancellationToken).ConfigureAwait(false);

    /// <summary>Go's <c>WithFirstCreate</c>: the oldest key of a prefix.</summary>
    public static GetOptions FirstCreated() => new()
    {
        Prefix = true,
        SortTarget = SortTarget.CreateRevision,
        SortOrder = SortOrder.Ascend,
        Limit = 1,
    };

    private static async Task WaitDeleteAsync(EtcdClient client, ReadOnlyMemory<byte> key, long revision, CancellationToken cancellationToken)
    {
        await foreach (var response in client.Watch.WatchAsync(key, new WatchOptions { StartRevision = revision }, cancellationToken).ConfigureAwait(false))
        {
            if (response.Events.Any(e => e.Type == WatchEventType.Delete))
            {
                return;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        throw new EtcdException($"The watch on {Encoding.UTF8.GetString(key.Span)} ended before the key was deleted (the client was disposed).");
    }
}
