using System.Text;
using EtcdConfiguration.Client;

namespace EtcdConfiguration.Mapping;

/// <summary>
/// Turns one etcd key-value (or deletion) into the change the store applies, or into the reason it is skipped.
/// Reasons name the key, never the value.
/// </summary>
internal sealed class KeyValueDecoder(KeyMapper mapper, EtcdValueFormat format)
{
    /// <summary>
    /// Decodes a key and its value. False when the key must be skipped: then <paramref name="failure"/> says why,
    /// and for a bad value <paramref name="change"/> is a <see cref="EtcdKeyChange.Keep"/> of the key.
    /// </summary>
    public bool TryDecode(KeyValue kv, out EtcdKeyChange change, out FormatException? failure)
    {
        change = default;
        failure = null;
        var key = kv.KeyBytes.Span;
        if (!mapper.TryMap(key, out var path, out var segments, out var isOverride, out var mapError))
        {
            if (mapError == KeyMapError.InvalidUtf8)
            {
                failure = new FormatException($"etcd key '{KeyMapper.Describe(key)}' was skipped: its name is not valid UTF-8.");
            }

            return false;
        }

        var etcdKey = Encoding.UTF8.GetString(key);
        if (!ValueDecoder.TryDecode(format, path, kv.ValueBytes.Span, out var pairs, out var decodeError))
        {
            change = EtcdKeyChange.Keep(etcdKey);
            failure = new FormatException($"etcd key '{etcdKey}' was skipped: {decodeError.Message}");
            return false;
        }

        change = new EtcdKeyChange(etcdKey, segments, pairs, isOverride);
        return true;
    }

    /// <summary>
    /// The change for a deleted key; false for keys that could never have contributed. Then
    /// <paramref name="badName"/> says whether the key was one skipped for a name that is not UTF-8, so its skip
    /// ends with it.
    /// </summary>
    public bool TryDelete(KeyValue kv, out EtcdKeyChange change, out bool badName)
    {
        change = default;
        var key = kv.KeyBytes.Span;
        if (!mapper.TryMap(key, out _, out _, out _, out var mapError))
        {
            badName = mapError == KeyMapError.InvalidUtf8;
            return false;
        }

        badName = false;

        change = EtcdKeyChange.Delete(Encoding.UTF8.GetString(key));
        return true;
    }

    /// <summary>The etcd key as text, for the set of skipped keys.</summary>
    public static string KeyText(KeyValue kv) => KeyMapper.Describe(kv.KeyBytes.Span);
}
