using System.Text;
using Google.Protobuf;

namespace EtcdConfiguration.Client.Internal.Watching;

/// <summary>Turns a key and <see cref="WatchOptions"/> into etcd's create request, applying the range rules.</summary>
internal static class WatchRequests
{
    public static Wire.WatchCreateRequest Create(ReadOnlyMemory<byte> key, WatchOptions? options)
    {
        options ??= new WatchOptions();
        var selectors = (options.Prefix ? 1 : 0) + (options.FromKey ? 1 : 0) + (options.RangeEnd is not null ? 1 : 0) + (options.RangeEndBytes is not null ? 1 : 0);
        if (selectors > 1)
        {
            throw new ArgumentException("At most one of WatchOptions.Prefix, FromKey, RangeEnd and RangeEndBytes may be set.", nameof(options));
        }

        if (options.StartRevision < 0)
        {
            throw new ArgumentException($"WatchOptions.StartRevision must be 0 (from now) or a revision, not {options.StartRevision}.", nameof(options));
        }

        var keyBytes = ByteString.CopyFrom(key.Span);
        var request = new Wire.WatchCreateRequest
        {
            Key = keyBytes,
            StartRevision = options.StartRevision,
            PrevKv = options.PrevKv,
            ProgressNotify = options.ProgressNotify,
            Fragment = true,
        };
        if (options.Prefix)
        {
            request.Key = KeyRange.PrefixKey(keyBytes);
            request.RangeEnd = KeyRange.PrefixEnd(keyBytes.Span);
        }
        else if (options.FromKey)
        {
            request.Key = KeyRange.PrefixKey(keyBytes);
            request.RangeEnd = KeyRange.EndOfKeyspace;
        }
        else if (options.RangeEnd is { } end)
        {
            request.RangeEnd = ByteString.CopyFromUtf8(end);
        }
        else if (options.RangeEndBytes is { } endBytes)
        {
            request.RangeEnd = ByteString.CopyFrom(endBytes.Span);
        }

        if (options.NoPut)
        {
            request.Filters.Add(Wire.WatchCreateRequest.Types.FilterType.Noput);
        }

        if (options.NoDelete)
        {
            request.Filters.Add(Wire.WatchCreateRequest.Types.FilterType.Nodelete);
        }

        return request;
    }

    /// <summary>The watched key or range as messages show it.</summary>
    public static string Describe(Wire.WatchCreateRequest request)
    {
        var key = Encoding.UTF8.GetString(request.Key.Span);
        if (request.RangeEnd.IsEmpty)
        {
            return $"'{key}'";
        }

        if (request.RangeEnd.Equals(KeyRange.EndOfKeyspace))
        {
            return $"every key from '{key}'";
        }

        if (request.RangeEnd.Equals(KeyRange.PrefixEnd(request.Key.Span)))
        {
            return $"prefix '{key}'";
        }

        return $"range ['{key}', '{Encoding.UTF8.GetString(request.RangeEnd.Span)}')";
    }
}
