using System.Text;
using EtcdConfiguration.Client.Internal;
using Google.Protobuf;

namespace EtcdConfiguration.Client.Namespaces;

/// <summary>
/// The rules of a namespace, as Go's <c>namespace</c> package has them: keys and range ends gain the prefix on the
/// way out and lose it on the way in; a range end of 0x00 ("to the end of the keyspace") becomes the end of the
/// namespace, so no request leaves it.
/// </summary>
internal sealed class KeyPrefix
{
    private readonly ByteString _prefix;
    private readonly ByteString _end;

    public KeyPrefix(string prefix)
    {
        Text = prefix;
        _prefix = ByteString.CopyFromUtf8(prefix);
        _end = KeyRange.PrefixEnd(_prefix.Span);
    }

    public string Text { get; }

    public ByteString Add(ByteString key) => Concat(_prefix, key);

    /// <summary>The key and range end of a request inside the namespace.</summary>
    public (ByteString Key, ByteString RangeEnd) Add(ByteString key, ByteString rangeEnd)
    {
        if (rangeEnd.Length == 1 && rangeEnd[0] == 0)
        {
            return (Add(key), _end);
        }

        return (Add(key), rangeEnd.IsEmpty ? ByteString.Empty : Add(rangeEnd));
    }

    /// <summary>A copy of <paramref name="request"/> with every key, range end and comparison inside the namespace.</summary>
    public Wire.RequestOp Add(Wire.RequestOp request)
    {
        var copy = request.Clone();
        AddInPlace(copy);
        return copy;
    }

    public Wire.WatchCreateRequest Add(Wire.WatchCreateRequest request)
    {
        var copy = request.Clone();
        (copy.Key, copy.RangeEnd) = Add(copy.Key, copy.RangeEnd);
        return copy;
    }

    public ByteString Strip(ByteString key) =>
        key.Span.StartsWith(_prefix.Span) ? UnsafeByteOperations.UnsafeWrap(key.Memory[_prefix.Length..]) : key;

    /// <summary>Whether <paramref name="key"/> lies in the namespace.</summary>
    public bool Contains(ReadOnlySpan<byte> key) => key.StartsWith(_prefix.Span);

    public void StripInPlace(Wire.Mvcc.KeyValue? kv)
    {
        if (kv is not null)
        {
            kv.Key = Strip(kv.Key);
        }
    }

    public void StripInPlace(Wire.RangeResponse response)
    {
        foreach (var kv in response.Kvs)
        {
            StripInPlace(kv);
        }
    }

    public void StripInPlace(Wire.PutResponse response) => StripInPlace(response.PrevKv);

    public void StripInPlace(Wire.DeleteRangeResponse response)
    {
        foreach (var kv in response.PrevKvs)
        {
            StripInPlace(kv);
        }
    }

    public void StripInPlace(Wire.TxnResponse response)
    {
        foreach (var op in response.Responses)
        {
            switch (op.ResponseCase)
            {
                case Wire.ResponseOp.ResponseOneofCase.ResponseRange:
                    StripInPlace(op.ResponseRange);
                    break;
                case Wire.ResponseOp.ResponseOneofCase.ResponsePut:
                    StripInPlace(op.ResponsePut);
                    break;
                case Wire.ResponseOp.ResponseOneofCase.ResponseDeleteRange:
                    StripInPlace(op.ResponseDeleteRange);
                    break;
                case Wire.ResponseOp.ResponseOneofCase.ResponseTxn:
                    StripInPlace(op.ResponseTxn);
                    break;
            }
        }
    }

    /// <summary>A key as the namespace shows it, rebuilt from the public view (watch events arrive already wrapped).</summary>
    public KeyValue? Strip(KeyValue? kv) => kv is null ? null : new KeyValue(new Wire.Mvcc.KeyValue
    {
        Key = Strip(UnsafeByteOperations.UnsafeWrap(kv.KeyBytes)),
        Value = UnsafeByteOperations.UnsafeWrap(kv.ValueBytes),
        CreateRevision = kv.CreateRevision,
        ModRevision = kv.ModRevision,
        Version = kv.Version,
        Lease = kv.Lease,
    });

    public override string ToString() => Encoding.UTF8.GetString(_prefix.Span);

    private static ByteString Concat(ByteString a, ByteString b)
    {
        var bytes = new byte[a.Length + b.Length];
        a.Span.CopyTo(bytes);
        b.Span.CopyTo(bytes.AsSpan(a.Length));
        return UnsafeByteOperations.UnsafeWrap(bytes);
    }

    /// <summary>
    /// etcd refuses an empty key, but inside a namespace it would become the prefix itself and be accepted; refuse it
    /// here as etcd (and Go's namespace package) would.
    /// </summary>
    private void RequireKey(ByteString key)
    {
        if (key.IsEmpty)
        {
            throw new ArgumentException($"A key in namespace {Text} must not be empty; to read or delete the whole namespace, use Prefix or FromKey with an empty key.", nameof(key));
        }
    }

    private void AddInPlace(Wire.RequestOp request)
    {
        switch (request.RequestCase)
        {
            case Wire.RequestOp.RequestOneofCase.RequestRange:
                var range = request.RequestRange;
                RequireKey(range.Key);
                (range.Key, range.RangeEnd) = Add(range.Key, range.RangeEnd);
                break;
            case Wire.RequestOp.RequestOneofCase.RequestPut:
                RequireKey(request.RequestPut.Key);
                request.RequestPut.Key = Add(request.RequestPut.Key);
                break;
            case Wire.RequestOp.RequestOneofCase.RequestDeleteRange:
                var delete = request.RequestDeleteRange;
                RequireKey(delete.Key);
                (delete.Key, delete.RangeEnd) = Add(delete.Key, delete.RangeEnd);
                break;
            case Wire.RequestOp.RequestOneofCase.RequestTxn:
                var txn = request.RequestTxn;
                foreach (var compare in txn.Compare)
                {
                    (compare.Key, compare.RangeEnd) = Add(compare.Key, compare.RangeEnd);
                }

                foreach (var op in txn.Success.Concat(txn.Failure))
                {
                    AddInPlace(op);
                }

                break;
        }
    }
}
