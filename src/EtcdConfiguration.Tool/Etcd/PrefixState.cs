using EtcdConfiguration.Client;
using EtcdConfiguration.Mapping;

namespace EtcdConfiguration.Tool.Etcd;

/// <summary>
/// The keys under a prefix as a replay of watch events leaves them, mapped on demand by the provider's code: each
/// revision's view is compared with the last to print changes as the provider sees them.
/// </summary>
internal sealed class PrefixState
{
    private readonly Dictionary<string, (ReadOnlyMemory<byte> Key, ReadOnlyMemory<byte> Value, long ModRevision)> _keys = new(StringComparer.Ordinal);

    private readonly EtcdValueFormat _format;

    public PrefixState(string prefix, IEnumerable<KeyValue> keyValues, EtcdValueFormat format)
    {
        _format = format;
        Prefix = new KeyMapper(prefix).Prefix;
        foreach (var kv in keyValues)
        {
            _keys[KeyMapper.Describe(kv.KeyBytes.Span)] = (kv.KeyBytes, kv.ValueBytes, kv.ModRevision);
        }

        View = Map();
    }

    public string Prefix { get; }

    /// <summary>What the provider serves for the current state.</summary>
    public ConfigurationView View { get; private set; }

    /// <summary>Applies one event; call <see cref="Remap"/> after the last event of a revision.</summary>
    public void Apply(WatchEvent change)
    {
        var key = KeyMapper.Describe(change.Kv.KeyBytes.Span);
        if (change.Type == WatchEventType.Delete)
        {
            _keys.Remove(key);
        }
        else
        {
            _keys[key] = (change.Kv.KeyBytes, change.Kv.ValueBytes, change.Kv.ModRevision);
        }
    }

    /// <summary>Maps the state again; returns the view before.</summary>
    public ConfigurationView Remap()
    {
        var before = View;
        View = Map();
        return before;
    }

    /// <summary>Whether the state holds exactly the keys of a listing, at the same mod revisions.</summary>
    public bool Matches(PrefixListing listing)
    {
        if (listing.KeyValues.Count != _keys.Count)
        {
            return false;
        }

        foreach (var kv in listing.KeyValues)
        {
            if (!_keys.TryGetValue(KeyMapper.Describe(kv.KeyBytes.Span), out var held) || held.ModRevision != kv.ModRevision)
            {
                return false;
            }
        }

        return true;
    }

    private ConfigurationView Map() =>
        ConfigurationView.Create(_keys.Values.Select(v => (v.Key, v.Value)), Prefix, _format);
}
