using EtcdConfiguration.Client;

namespace EtcdConfiguration.Applying;

/// <summary>
/// A batch of watch responses decoded once for every provider of a shared watch (same prefix, same value format):
/// a provider whose data is older than <see cref="OldestEvent"/> applies <see cref="Batch"/> as it is, since none
/// of its events is one it already has. The changes are never modified, so the providers' stores can share them.
/// </summary>
internal sealed class SharedDecode
{
    private SharedDecode(DecodedBatch batch, long oldestEvent)
    {
        Batch = batch;
        OldestEvent = oldestEvent;
    }

    /// <summary>Every event of the responses, decoded.</summary>
    public DecodedBatch Batch { get; }

    /// <summary>The revision of the batch's oldest event.</summary>
    public long OldestEvent { get; }

    /// <summary>Decodes <paramref name="responses"/>; <see langword="null"/> when they hold no event (nothing to share).</summary>
    public static SharedDecode? Of(BatchDecoder decoder, IReadOnlyList<WatchResponse> responses)
    {
        var oldest = long.MaxValue;
        foreach (var response in responses)
        {
            foreach (var watchEvent in response.Events)
            {
                oldest = Math.Min(oldest, watchEvent.Kv.ModRevision);
            }
        }

        // Decoding from just before the oldest event keeps every event, and makes Reached the newest one's revision.
        return oldest == long.MaxValue ? null : new SharedDecode(decoder.DecodeWatchBatch(responses, oldest - 1), oldest);
    }
}
