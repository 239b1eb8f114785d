using EtcdConfiguration.Client.Internal;
using Google.Protobuf;
using WireTarget = EtcdConfiguration.Client.Wire.Compare.Types.CompareTarget;

namespace EtcdConfiguration.Client;

/// <summary>
/// One condition of a transaction: an attribute of a key (its value, version, create or mod revision, or lease)
/// compared with an operand. The counterpart of Go's <c>clientv3.Compare(clientv3.Value(k), "=", v)</c>.
/// Immutable; <see cref="WithPrefix"/> and <see cref="WithRange(string)"/> return a new condition over many keys.
/// </summary>
/// <remarks>
/// A key that does not exist has version, create revision and mod revision 0, so
/// <c>Compare.Version(key, CompareResult.Equal, 0)</c> means "the key does not exist" and
/// <c>Compare.CreateRevision(key, CompareResult.Greater, 0)</c> "it exists". A value comparison on a missing key fails.
/// </remarks>
/// <example>
/// <code>
/// var response = await client.KV.Txn()
///     .If(Compare.Value("k1", CompareResult.Greater, "v1"), Compare.Version("k1", CompareResult.Equal, 2))
///     .Then(Op.Put("k2", "v2"), Op.Put("k3", "v3"))
///     .Else(Op.Put("k4", "v4"), Op.Put("k5", "v5"))
///     .CommitAsync();
/// </code>
/// </example>
public sealed class Compare
{
    private readonly Wire.Compare _compare;

    private Compare(Wire.Compare compare) => _compare = compare;

    /// <summary>What the condition looks at.</summary>
    public CompareTarget Target => (CompareTarget)_compare.Target;

    /// <summary>How the attribute must relate to the operand.</summary>
    public CompareResult Result => (CompareResult)_compare.Result;

    /// <summary>The key, decoded as UTF-8.</summary>
    public string Key => Utf8Text.Decode(_compare.Key);

    /// <summary>The key's bytes.</summary>
    public ReadOnlyMemory<byte> KeyBytes => _compare.Key.Memory;

    /// <summary>The end of the key range the condition covers (exclusive); empty when it covers the key alone.</summary>
    public ReadOnlyMemory<byte> RangeEndBytes => _compare.RangeEnd.Memory;

    /// <summary>The condition on a key's value, compared as UTF-8 bytes.</summary>
    /// <param name="key">The key.</param>
    /// <param name="result">How the key's value must relate to <paramref name="value"/>.</param>
    /// <param name="value">The operand.</param>
    /// <returns>The condition.</returns>
    public static Compare Value(string key, CompareResult result, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Create(KVRequests.Key(key, nameof(key)), result, WireTarget.Value, c => c.Value = ByteString.CopyFromUtf8(value));
    }

    /// <summary>The condition on a key's value, compared as bytes.</summary>
    /// <param name="key">The key.</param>
    /// <param name="result">How the key's value must relate to <paramref name="value"/>.</param>
    /// <param name="value">The operand.</param>
    /// <returns>The condition.</returns>
    public static Compare Value(ReadOnlyMemory<byte> key, CompareResult result, ReadOnlyMemory<byte> value) =>
        Create(KVRequests.Key(key), result, WireTarget.Value, c => c.Value = ByteString.CopyFrom(value.Span));

    /// <summary>The condition on a key's version: how often it was written since creation (0: it does not exist).</summary>
    /// <param name="key">The key.</param>
    /// <param name="result">How the key's version must relate to <paramref name="version"/>.</param>
    /// <param name="version">The operand.</param>
    /// <returns>The condition.</returns>
    public static Compare Version(string key, CompareResult result, long version) =>
        Create(KVRequests.Key(key, nameof(key)), result, WireTarget.Version, c => c.Version = version);

    /// <inheritdoc cref="Version(string, CompareResult, long)"/>
    public static Compare Version(ReadOnlyMemory<byte> key, CompareResult result, long version) =>
        Create(KVRequests.Key(key), result, WireTarget.Version, c => c.Version = version);

    /// <summary>The condition on the revision that created a key (0: it does not exist).</summary>
    /// <param name="key">The key.</param>
    /// <param name="result">How the key's create revision must relate to <paramref name="revision"/>.</param>
    /// <param name="revision">The operand.</param>
    /// <returns>The condition.</returns>
    public static Compare CreateRevision(string key, CompareResult result, long revision) =>
        Create(KVRequests.Key(key, nameof(key)), result, WireTarget.Create, c => c.CreateRevision = revision);

    /// <inheritdoc cref="CreateRevision(string, CompareResult, long)"/>
    public static Compare CreateRevision(ReadOnlyMemory<byte> key, CompareResult result, long revision) =>
        Create(KVRequests.Key(key), result, WireTarget.Create, c => c.CreateRevision = revision);

    /// <summary>The condition on the revision that last modified a key (0: it does not exist).</summary>
    /// <param name="key">The key.</param>
    /// <param name="result">How the key's mod revision must relate to <paramref name="revision"/>.</param>
    /// <param name="revision">The operand.</param>
    /// <returns>The condition.</returns>
    public static Compare ModRevision(string key, CompareResult result, long revision) =>
        Create(KVRequests.Key(key, nameof(key)), result, WireTarget.Mod, c => c.ModRevision = revision);

    /// <inheritdoc cref="ModRevision(string, CompareResult, long)"/>
    public static Compare ModRevision(ReadOnlyMemory<byte> key, CompareResult result, long revision) =>
        Create(KVRequests.Key(key), result, WireTarget.Mod, c => c.ModRevision = revision);

    /// <summary>The condition on the ID of the lease a key is attached to (0: none).</summary>
    /// <param name="key">The key.</param>
    /// <param name="result">How the key's lease ID must relate to <paramref name="leaseId"/>.</param>
    /// <param name="leaseId">The operand.</param>
    /// <returns>The condition.</returns>
    public static Compare Lease(string key, CompareResult result, long leaseId) =>
        Create(KVRequests.Key(key, nameof(key)), result, WireTarget.Lease, c => c.Lease = leaseId);

    /// <inheritdoc cref="Lease(string, CompareResult, long)"/>
    public static Compare Lease(ReadOnlyMemory<byte> key, CompareResult result, long leaseId) =>
        Create(KVRequests.Key(key), result, WireTarget.Lease, c => c.Lease = leaseId);

    /// <summary>
    /// The same condition over every key that starts with this one: it holds when it holds for each of them
    /// (an empty key: every key).
    /// </summary>
    /// <returns>A new condition.</returns>
    public Compare WithPrefix()
    {
        var compare = _compare.Clone();
        compare.Key = KeyRange.PrefixKey(_compare.Key);
        compare.RangeEnd = KeyRange.PrefixEnd(_compare.Key.Span);
        return new Compare(compare);
    }

    /// <summary>The same condition over every key in [key, <paramref name="rangeEnd"/>): it holds when it holds for each of them.</summary>
    /// <param name="rangeEnd">The end of the range (exclusive), as a UTF-8 string.</param>
    /// <returns>A new condition.</returns>
    public Compare WithRange(string rangeEnd)
    {
        ArgumentNullException.ThrowIfNull(rangeEnd);
        var compare = _compare.Clone();
        compare.RangeEnd = ByteString.CopyFromUtf8(rangeEnd);
        return new Compare(compare);
    }

    /// <summary>The same condition over every key in [key, <paramref name="rangeEnd"/>): it holds when it holds for each of them.</summary>
    /// <param name="rangeEnd">The end of the range (exclusive), as bytes.</param>
    /// <returns>A new condition.</returns>
    public Compare WithRange(ReadOnlyMemory<byte> rangeEnd)
    {
        var compare = _compare.Clone();
        compare.RangeEnd = ByteString.CopyFrom(rangeEnd.Span);
        return new Compare(compare);
    }

    /// <summary>The condition, such as <c>value(/k) Equal</c>; never the operand, which may be a secret value.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"{Target}({Key}{(_compare.RangeEnd.IsEmpty ? string.Empty : " range")}) {Result}";

    internal Wire.Compare ToWire() => _compare;

    private static Compare Create(ByteString key, CompareResult result, WireTarget target, Action<Wire.Compare> setOperand)
    {
        if (!Enum.IsDefined(result))
        {
            throw new ArgumentOutOfRangeException(nameof(result), result, $"{result} is not a valid CompareResult.");
        }

        var compare = new Wire.Compare { Key = key, Result = (Wire.Compare.Types.CompareResult)result, Target = target };
        setOperand(compare);
        return new Compare(compare);
    }
}
