using System.Text;
using EtcdConfiguration.Client;
using EtcdConfiguration.Store;

namespace EtcdConfiguration.Mapping;

/// <summary>
/// What a provider would serve for a listing of the keys under a prefix, computed by the provider's own
/// <see cref="KeyMapper"/>, <see cref="ValueDecoder"/> and <see cref="ConfigurationStore"/>: the configuration, the
/// keys it would skip and why, and the conflicts it would resolve. Keys under <c>{prefix}.overrides/</c> are never
/// ordinary configuration: what they give is reported apart, in <see cref="Overrides"/>. This is the one seam
/// through which tools (<c>etcd-config</c>) see the mapping.
/// </summary>
internal sealed class ConfigurationView
{
    private ConfigurationView(
        string prefix,
        Dictionary<string, string?> values,
        Dictionary<string, string?> overrides,
        List<SkippedKey> skipped,
        IReadOnlyList<KeyConflict> conflicts)
    {
        Prefix = prefix;
        Values = values;
        Overrides = overrides;
        Skipped = skipped;
        Conflicts = conflicts;
    }

    /// <summary>The normalised prefix, ending with <c>/</c>.</summary>
    public string Prefix { get; }

    /// <summary>The configuration the provider would serve, keys compared case-insensitively.</summary>
    public IReadOnlyDictionary<string, string?> Values { get; }

    /// <summary>
    /// What the keys under <c>{prefix}.overrides/</c> give, keyed by the configuration key they override
    /// (mapped and decoded like ordinary keys, conflicts resolved among themselves). Not part of <see cref="Values"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; }

    /// <summary>The keys the provider would skip (bad JSON, invalid UTF-8, too deep...), with reasons naming no value.</summary>
    public IReadOnlyList<SkippedKey> Skipped { get; }

    /// <summary>Pairs of etcd keys that give the same configuration key, and which one wins.</summary>
    public IReadOnlyList<KeyConflict> Conflicts { get; }

    /// <summary>The view of key-values read from etcd.</summary>
    public static ConfigurationView Create(IEnumerable<KeyValue> keyValues, string prefix, EtcdValueFormat format)
    {
        ArgumentNullException.ThrowIfNull(keyValues);
        return Create(keyValues.Select(kv => (kv.KeyBytes, kv.ValueBytes)), prefix, format);
    }

    /// <summary>The view of raw keys and values (a state that is planned rather than read), in any order.</summary>
    public static ConfigurationView Create(
        IEnumerable<(ReadOnlyMemory<byte> Key, ReadOnlyMemory<byte> Value)> keyValues,
        string prefix,
        EtcdValueFormat format)
    {
        ArgumentNullException.ThrowIfNull(keyValues);
        var mapper = new KeyMapper(prefix);
        var ordinary = new List<EtcdKeyChange>();
        var overriding = new List<EtcdKeyChange>();
        var skipped = new List<SkippedKey>();
        foreach (var (key, value) in keyValues)
        {
            if (Decode(mapper, format, key.Span, value.Span, out var change, out var isOverride, out var reason))
            {
                (isOverride ? overriding : ordinary).Add(change);
            }
            else if (reason is not null)
            {
                skipped.Add(new SkippedKey(KeyMapper.Describe(key.Span), reason, isOverride));
            }
        }

        ordinary.Sort(static (a, b) => string.CompareOrdinal(a.EtcdKey, b.EtcdKey));
        overriding.Sort(static (a, b) => string.CompareOrdinal(a.EtcdKey, b.EtcdKey));
        using var store = new ConfigurationStore(mapper.Prefix);
        var result = store.ReplaceAll(ordinary);
        using var overrideStore = new ConfigurationStore(mapper.Prefix);
        overrideStore.ReplaceAll(overriding);
        return new ConfigurationView(
            mapper.Prefix,
            ToDictionary(store.Snapshot()),
            ToDictionary(overrideStore.Snapshot()),
            skipped,
            result.Conflicts);
    }

    private static bool Decode(
        KeyMapper mapper,
        EtcdValueFormat format,
        ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> value,
        out EtcdKeyChange change,
        out bool isOverride,
        out string? reason)
    {
        change = default;
        reason = null;
        if (!mapper.TryMap(key, out var path, out var segments, out isOverride, out var mapError))
        {
            reason = mapError == KeyMapError.InvalidUtf8 ? "its name is not valid UTF-8." : null;
            return false;
        }

        if (!ValueDecoder.TryDecode(format, path, value, out var pairs, out var error))
        {
            reason = error.Message;
            return false;
        }

        change = new EtcdKeyChange(Encoding.UTF8.GetString(key), segments, pairs, isOverride);
        return true;
    }

    private static Dictionary<string, string?> ToDictionary(KeyValuePair<string, string?>[] pairs)
    {
        var values = new Dictionary<string, string?>(pairs.Length, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in pairs)
        {
            values[key] = value;
        }

        return values;
    }

    /// <summary>An etcd key the provider would skip.</summary>
    /// <param name="EtcdKey">The key, with bytes that are not UTF-8 shown as <c>\xNN</c>.</param>
    /// <param name="Reason">Why, as a sentence naming no value.</param>
    /// <param name="IsOverride">Whether the key is a temporary override.</param>
    internal sealed record SkippedKey(string EtcdKey, string Reason, bool IsOverride);
}
