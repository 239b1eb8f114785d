using System.Collections.ObjectModel;
using EtcdConfiguration.Client.Internal;

namespace EtcdConfiguration.Client;

/// <summary>
/// One key as etcd stores it: its bytes, value and the revisions that describe its history.
/// </summary>
/// <remarks>
/// <see cref="KeyBytes"/> and <see cref="ValueBytes"/> are views of the received message, without copies.
/// <see cref="Key"/> and <see cref="Value"/> decode UTF-8 on first use and keep the string; invalid UTF-8 becomes
/// U+FFFD there, so check the bytes when keys or values may not be text.
/// </remarks>
public sealed class KeyValue
{
    private readonly Wire.Mvcc.KeyValue _kv;
    private string? _key;
    private string? _value;

    internal KeyValue(Wire.Mvcc.KeyValue kv) => _kv = kv;

    /// <summary>The key, decoded as UTF-8.</summary>
    public string Key => _key ??= Utf8Text.Decode(_kv.Key);

    /// <summary>The key's bytes.</summary>
    public ReadOnlyMemory<byte> KeyBytes => _kv.Key.Memory;

    /// <summary>The value, decoded as UTF-8 (empty when the read asked for keys only).</summary>
    public string Value => _value ??= Utf8Text.Decode(_kv.Value);

    /// <summary>The value's bytes (empty when the read asked for keys only).</summary>
    public ReadOnlyMemory<byte> ValueBytes => _kv.Value.Memory;

    /// <summary>The revision that created the key (its latest creation, after a delete).</summary>
    public long CreateRevision => _kv.CreateRevision;

    /// <summary>The revision that last modified the key.</summary>
    public long ModRevision => _kv.ModRevision;

    /// <summary>How often the key was written since its creation (1 after the first put); a delete resets it to 0.</summary>
    public long Version => _kv.Version;

    /// <summary>The ID of the lease the key is attached to; 0 for none.</summary>
    public long Lease => _kv.Lease;

    /// <summary>The key and its revisions; never the value, so that logging a key does not leak data.</summary>
    /// <returns>Such as <c>/app/db (create 5, mod 9, version 3)</c>.</returns>
    public override string ToString() => $"{Key} (create {CreateRevision}, mod {ModRevision}, version {Version})";

    internal static KeyValue? FromOptional(Wire.Mvcc.KeyValue? kv) => kv is null ? null : new KeyValue(kv);

    internal static IReadOnlyList<KeyValue> FromList(IList<Wire.Mvcc.KeyValue> kvs)
    {
        if (kvs.Count == 0)
        {
            return ReadOnlyCollection<KeyValue>.Empty;
        }

        var result = new KeyValue[kvs.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new KeyValue(kvs[i]);
        }

        return new ReadOnlyCollection<KeyValue>(result);
    }
}
