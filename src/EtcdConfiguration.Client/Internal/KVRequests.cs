using Google.Protobuf;

namespace EtcdConfiguration.Client.Internal;

/// <summary>
/// Turns keys and option objects into etcd's wire requests, in one place for <see cref="KVClient"/> and
/// <see cref="Op"/>: the range rules (prefix, from-key, explicit end) and the checks etcd would otherwise
/// answer with a less helpful error.
/// </summary>
internal static class KVRequests
{
    public static ByteString Key(string key, string paramName)
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        return ByteString.CopyFromUtf8(key);
    }

    /// <summary>Copies the caller's bytes: they may change them after the call returns.</summary>
    public static ByteString Key(ReadOnlyMemory<byte> key) => ByteString.CopyFrom(key.Span);

    public static Wire.RangeRequest Range(ByteString key, GetOptions? options)
    {
        var request = new Wire.RangeRequest();
        if (options is null)
        {
            request.Key = key;
            return request;
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.Revision, "options.Revision");
        ArgumentOutOfRangeException.ThrowIfNegative(options.Limit, "options.Limit");
        CheckEnum(options.SortOrder, "options.SortOrder");
        CheckEnum(options.SortTarget, "options.SortTarget");
        (request.Key, request.RangeEnd) = ResolveRange(key, options.Prefix, options.FromKey, options.RangeEnd, options.RangeEndBytes, nameof(GetOptions));
        request.Revision = options.Revision;
        request.Limit = options.Limit;
        request.SortOrder = (Wire.RangeRequest.Types.SortOrder)options.SortOrder;
        request.SortTarget = (Wire.RangeRequest.Types.SortTarget)options.SortTarget;
        request.Serializable = options.Serializable;
        request.KeysOnly = options.KeysOnly;
        request.CountOnly = options.CountOnly;
        request.MinModRevision = options.MinModRevision;
        request.MaxModRevision = options.MaxModRevision;
        request.MinCreateRevision = options.MinCreateRevision;
        request.MaxCreateRevision = options.MaxCreateRevision;
        return request;
    }

    public static Wire.PutRequest Put(ByteString key, ByteString value, PutOptions? options)
    {
        var request = new Wire.PutRequest { Key = key, Value = value };
        if (options is null)
        {
            return request;
        }

        if (options.IgnoreValue && !value.IsEmpty)
        {
            throw new ArgumentException("PutOptions.IgnoreValue keeps the key's current value, so the value given must be empty.", nameof(options));
        }

        if (options.IgnoreLease && options.Lease != 0)
        {
            throw new ArgumentException($"PutOptions.IgnoreLease keeps the key's current lease, so PutOptions.Lease must be 0 (it is {options.Lease}).", nameof(options));
        }

        request.Lease = options.Lease;
        request.PrevKv = options.PrevKv;
        request.IgnoreValue = options.IgnoreValue;
        request.IgnoreLease = options.IgnoreLease;
        return request;
    }

    public static Wire.DeleteRangeRequest Delete(ByteString key, DeleteOptions? options)
    {
        var request = new Wire.DeleteRangeRequest();
        if (options is null)
        {
            request.Key = key;
            return request;
        }

        (request.Key, request.RangeEnd) = ResolveRange(key, options.Prefix, options.FromKey, options.RangeEnd, options.RangeEndBytes, nameof(DeleteOptions));
        request.PrevKv = options.PrevKv;
        return request;
    }

    public static Wire.CompactionRequest Compaction(long revision, bool physical)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(revision);
        return new Wire.CompactionRequest { Revision = revision, Physical = physical };
    }

    /// <summary>
    /// The key and range end to send. A prefix ends at <see cref="KeyRange.PrefixEnd"/>; from-key ends at 0x00
    /// (end of keyspace). etcd rejects an empty key, so with either of them an empty key becomes 0x00, which then
    /// covers every key, as in Go's clientv3.
    /// </summary>
    public static (ByteString Key, ByteString RangeEnd) ResolveRange(
        ByteString key, bool prefix, bool fromKey, string? rangeEnd, ReadOnlyMemory<byte>? rangeEndBytes, string optionsType, string paramName = "options")
    {
        var choices = (prefix ? 1 : 0) + (fromKey ? 1 : 0) + (rangeEnd is null ? 0 : 1) + (rangeEndBytes is null ? 0 : 1);
        if (choices > 1)
        {
            throw new ArgumentException(
                $"{optionsType}: set at most one of Prefix, FromKey, RangeEnd and RangeEndBytes; each says where the range ends.",
                paramName);
        }

        if (prefix)
        {
            return (KeyRange.PrefixKey(key), KeyRange.PrefixEnd(key.Span));
        }

        if (fromKey)
        {
            return (KeyRange.PrefixKey(key), KeyRange.EndOfKeyspace);
        }

        if (rangeEnd is not null)
        {
            return (key, ByteString.CopyFromUtf8(rangeEnd));
        }

        if (rangeEndBytes is { } end)
        {
            return (key, ByteString.CopyFrom(end.Span));
        }

        return (key, ByteString.Empty);
    }

    private static void CheckEnum<TEnum>(TEnum value, string paramName)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{value} is not a valid {typeof(TEnum).Name}.");
        }
    }
}
