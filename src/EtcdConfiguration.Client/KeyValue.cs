using Google.Protobuf;

namespace EtcdConfiguration.Client;

/// <summary>
/// One key as etcd stores it: its bytes, its value and the revisions that describe its history.
/// </summary>
/// <remarks>
/// <see cref="KeyBytes"/> and <see cref="ValueBytes"/> are views of the received message, not copies.
/// <see cref="Key"/> and <see cref="Value"/> decode UTF-8 on first use and keep the string (invalid UTF-8 becomes
/// U+FFFD); use the bytes when keys or values may not be text.
/// </remarks>
public sealed class KeyValue
{
    private readonly Wire.Mvcc.KeyValue _kv;
    private string? _key;
    private string? _value;

    internal KeyValue(Wire.Mvcc.KeyValue kv) => _kv = kv;

    /// <summary>The key, decoded as UTF-8.</summary>
    public string Key => _key ??= Decode(_kv.Key);

    /// <summary>The key's bytes.</summary>
    public ReadOnlyMemory<byte> KeyBytes => _kv.Key.Memory;

    /// <summary>The value, decoded as UTF-8 (empty for a deleted key or a keys-only read).</summary>
    public string Value => _value ??= Decode(_kv.Value);

    /// <summary>The value's bytes (empty for a deleted key or a keys-only read).</summary>
    public ReadOnlyMemory<byte> ValueBytes => _kv.Value.Memory;

    /// <summary>The revision that created the key (its latest creation, after a delete).</summary>
    public long CreateRevision => _kv.CreateRevision;

    /// <summary>The revision that last modified the key; for a delete event, the revision of the delete.</summary>
    public long ModRevision => _kv.ModRevision;

    /// <summary>How often the key was written since its creation (1 after the first put); 0 once deleted.</summary>
    public long Version => _kv.Version;

    /// <summary>The ID of the lease the key is attached to; 0 for none.</summary>
    public long Lease => _kv.Lease;

    /// <summary>The key and its revisions, never the value, so that logging a key leaks no data.</summary>
    /// <returns>Such as <c>/app/db (create 5, mod 9, version 3)</c>.</returns>
    public override string ToString() => $"{Key} (create {CreateRevision}, mod {ModRevision}, version {Version})";

    internal static KeyValue? FromOptional(Wire.Mvcc.KeyValue? kv) => kv is null ? null : new KeyValue(kv);

    private static string Decode(ByteString bytes) => bytes.IsEmpty ? string.Empty : bytes.ToStringUtf8();
}
