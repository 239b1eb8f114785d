using EtcdConfiguration.Client;
using EtcdConfiguration.Mapping;

namespace EtcdConfiguration.Applying;

/// <summary>
/// Turns what etcd sent (a page of the snapshot, a batch of watch responses) into store changes, with
/// <see cref="KeyValueDecoder"/> for each key. A bad value or name skips its key with a reason; it never fails
/// the batch.
/// </summary>
internal sealed class BatchDecoder(KeyValueDecoder decoder)
{
    /// <summary>Adds the entries of one page of the snapshot to <paramref name="entries"/>.</summary>
    public void DecodeSnapshotPage(IReadOnlyList<KeyValue> page, List<EtcdKeyChange> entries, List<(string Key, FormatException Failure)> skipped)
    {
        foreach (var kv in page)
        {
            if (decoder.TryDecode(kv, out var change, out var failure))
            {
                entries.Add(change);
            }
            else if (failure is not null)
            {
                if (change.KeepsCurrent)
                {
                    // A key whose value does not decode keeps its last good contribution.
                    entries.Add(change);
                }

                skipped.Add((KeyValueDecoder.KeyText(kv), failure));
            }
        }
    }

    /// <summary>
    /// Decodes every event of <paramref name="responses"/> newer than <paramref name="current"/>; events at or
    /// below it are already in the data (from a snapshot) and are dropped.
    /// </summary>
    public DecodedBatch DecodeWatchBatch(IReadOnlyList<WatchResponse> responses, long current)
    {
        var batch = new DecodedBatch { Reached = current };
        foreach (var response in responses)
        {
            batch.WatchCreated |= response.Created;
            foreach (var watchEvent in response.Events)
            {
                var kv = watchEvent.Kv;
                if (kv.ModRevision <= current)
                {
                    continue;
                }

                batch.Reached = Math.Max(batch.Reached, kv.ModRevision);
                if (watchEvent.Type == WatchEventType.Delete)
                {
                    if (decoder.TryDelete(kv, out var deletion, out var badName))
                    {
                        batch.Changes.Add(deletion);
                    }
                    else if (badName)
                    {
                        // A key skipped for its name has no contribution to remove, but is no longer skipped.
                        batch.BadNames.Add((KeyValueDecoder.KeyText(kv), false));
                    }
                }
                else if (decoder.TryDecode(kv, out var change, out var failure))
                {
                    batch.Changes.Add(change);
                }
                else if (failure is not null)
                {
                    // Skipped: the key keeps its last good contribution (a Keep changes nothing; health reads it).
                    if (change.KeepsCurrent)
                    {
                        batch.Changes.Add(change);
                    }
                    else
                    {
                        batch.BadNames.Add((KeyValueDecoder.KeyText(kv), true));
                    }

                    batch.Skipped.Add((KeyValueDecoder.KeyText(kv), failure));
                }
            }
        }

        return batch;
    }
}
