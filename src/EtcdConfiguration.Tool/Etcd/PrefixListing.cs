using EtcdConfiguration.Client;
using EtcdConfiguration.Mapping;
using EtcdConfiguration.Sync;
using EtcdConfiguration.Tool.Cli;

namespace EtcdConfiguration.Tool.Etcd;

/// <summary>Every key under a prefix at one revision, read in pages that all see that revision.</summary>
internal sealed class PrefixListing
{
    private PrefixListing(string prefix, long revision, List<KeyValue> keyValues)
    {
        Prefix = prefix;
        Revision = revision;
        KeyValues = keyValues;
    }

    /// <summary>The normalised prefix.</summary>
    public string Prefix { get; }

    /// <summary>The revision the listing reflects.</summary>
    public long Revision { get; }

    /// <summary>The keys, overrides included, in key order.</summary>
    public IReadOnlyList<KeyValue> KeyValues { get; }

    /// <summary>What the provider would serve for this listing.</summary>
    public ConfigurationView View(EtcdValueFormat format = EtcdValueFormat.Auto) => ConfigurationView.Create(KeyValues, Prefix, format);

    /// <summary>Reads the prefix as it is now (<paramref name="revision"/> 0) or as it was at a revision.</summary>
    /// <exception cref="ToolException">The revision was compacted or is in the future.</exception>
    public static async Task<PrefixListing> ReadAsync(EtcdClient client, string prefix, long revision, CancellationToken cancellationToken)
    {
        var mapper = new KeyMapper(prefix);
        var keyValues = new List<KeyValue>();
        try
        {
            // The provider's own consistent, paged read: what the tool lists is what AddEtcd loads.
            var reader = new PrefixSnapshotReader(client, mapper.PrefixBytes, mapper.RangeEnd);
            revision = await reader.ReadAsync(keyValues.AddRange, cancellationToken, revision);
            return new PrefixListing(mapper.Prefix, revision, keyValues);
        }
        catch (EtcdCompactedException ex)
        {
            throw new ToolException($"Revision {revision} of '{mapper.Prefix}' is no longer in etcd's history: it was compacted, and etcd keeps no history before its last compaction ({FirstLine(ex.Message)}).");
        }
        catch (EtcdFutureRevisionException)
        {
            throw new ToolException($"Revision {revision} of '{mapper.Prefix}' does not exist yet: it is later than etcd's current revision.");
        }
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
