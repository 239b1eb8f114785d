using System.Diagnostics.CodeAnalysis;
using EtcdConfiguration.Client.Internal;
using Google.Protobuf;

namespace EtcdConfiguration.Client;

/// <summary>
/// A role's permission on one key, a prefix, or a key range, as <see cref="AuthClient.RoleGrantPermissionAsync"/>
/// grants it and <see cref="AuthClient.RoleGetAsync"/> lists it. Keys are UTF-8 unless given as bytes.
/// </summary>
/// <example>
/// <code>
/// await client.Auth.RoleGrantPermissionAsync("app-reader", Permission.ForPrefix(PermissionType.Read, "/app/"));
/// </code>
/// </example>
[SuppressMessage("Naming", "CA1711", Justification = "etcd's own name (authpb.Permission); it has nothing to do with .NET code access permissions.")]
public sealed class Permission : IEquatable<Permission>
{
    private static readonly byte[] _everyKey = [0];

    private Permission(PermissionType type, ByteString key, ByteString rangeEnd)
    {
        if (!Enum.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "The permission type must be Read, Write or ReadWrite.");
        }

        Type = type;
        KeyBytes = key.Memory;
        RangeEndBytes = rangeEnd.Memory;
    }

    /// <summary>What the permission allows.</summary>
    public PermissionType Type { get; }

    /// <summary>The key, or the first key of the range.</summary>
    public ReadOnlyMemory<byte> KeyBytes { get; }

    /// <summary>The end of the range (exclusive); empty for one key, a single 0 byte for "every key from <see cref="KeyBytes"/> on".</summary>
    public ReadOnlyMemory<byte> RangeEndBytes { get; }

    /// <summary>The key, decoded as UTF-8.</summary>
    public string Key => Utf8Text.Decode(ByteString.CopyFrom(KeyBytes.Span));

    /// <summary>The end of the range, decoded as UTF-8 (empty for one key).</summary>
    public string RangeEnd => Utf8Text.Decode(ByteString.CopyFrom(RangeEndBytes.Span));

    /// <summary>A permission on one key.</summary>
    /// <param name="type">What it allows.</param>
    /// <param name="key">The key.</param>
    /// <returns>The permission.</returns>
    public static Permission ForKey(PermissionType type, string key) => ForRange(type, KVRequests.Key(key, nameof(key)).Memory, ReadOnlyMemory<byte>.Empty);

    /// <summary>A permission on every key that starts with <paramref name="prefix"/> (<c>etcdctl role grant-permission --prefix</c>).</summary>
    /// <param name="type">What it allows.</param>
    /// <param name="prefix">The prefix, such as <c>/app/</c>; empty for every key.</param>
    /// <returns>The permission.</returns>
    public static Permission ForPrefix(PermissionType type, string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);

        // As in a range read, etcd takes "every key" as key 0x00 with range end 0x00: an empty key is refused.
        return prefix.Length == 0
            ? ForRange(type, _everyKey, _everyKey)
            : ForRange(type, KVRequests.Key(prefix, nameof(prefix)).Memory, KeyRangeEnd.ForPrefix(prefix));
    }

    /// <summary>A permission on the keys from <paramref name="key"/> (inclusive) to <paramref name="rangeEnd"/> (exclusive).</summary>
    /// <param name="type">What it allows.</param>
    /// <param name="key">The first key.</param>
    /// <param name="rangeEnd">The end of the range, exclusive.</param>
    /// <returns>The permission.</returns>
    public static Permission ForRange(PermissionType type, string key, string rangeEnd)
    {
        ArgumentException.ThrowIfNullOrEmpty(rangeEnd);
        return ForRange(type, KVRequests.Key(key, nameof(key)).Memory, KVRequests.Key(rangeEnd, nameof(rangeEnd)).Memory);
    }

    /// <summary>A permission on a key given as bytes, or on a range when <paramref name="rangeEnd"/> is not empty.</summary>
    /// <param name="type">What it allows.</param>
    /// <param name="key">The key, or the first key of the range.</param>
    /// <param name="rangeEnd">The end of the range (exclusive); empty for <paramref name="key"/> alone.</param>
    /// <returns>The permission.</returns>
    public static Permission ForRange(PermissionType type, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> rangeEnd)
    {
        if (key.IsEmpty)
        {
            throw new ArgumentException("A permission needs a key; use a single 0 byte for the start of the keyspace.", nameof(key));
        }

        return new(type, ByteString.CopyFrom(key.Span), ByteString.CopyFrom(rangeEnd.Span));
    }

    /// <inheritdoc/>
    public bool Equals(Permission? other) =>
        other is not null && Type == other.Type && KeyBytes.Span.SequenceEqual(other.KeyBytes.Span) && RangeEndBytes.Span.SequenceEqual(other.RangeEndBytes.Span);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Permission);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Type);
        hash.AddBytes(KeyBytes.Span);
        hash.AddBytes(RangeEndBytes.Span);
        return hash.ToHashCode();
    }

    /// <summary>Describes the permission as <c>etcdctl role get</c> does: the key, or the range <c>[key, end)</c>.</summary>
    /// <returns>Such as <c>ReadWrite [/app/, /app0)</c>.</returns>
    public override string ToString() => RangeEndBytes.IsEmpty ? $"{Type} {Key}" : $"{Type} [{Key}, {RangeEnd})";

    internal static Permission From(Wire.AuthPb.Permission permission) =>
        new((PermissionType)permission.PermType, permission.Key, permission.RangeEnd);

    internal Wire.AuthPb.Permission ToWire() => new()
    {
        PermType = (Wire.AuthPb.Permission.Types.Type)Type,
        Key = ByteString.CopyFrom(KeyBytes.Span),
        RangeEnd = ByteString.CopyFrom(RangeEndBytes.Span),
    };
}
