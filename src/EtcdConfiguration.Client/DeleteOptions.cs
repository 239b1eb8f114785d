namespace EtcdConfiguration.Client;

/// <summary>
/// What <see cref="KVClient.DeleteAsync(string, DeleteOptions?, CancellationToken)"/> deletes: one key (the default),
/// a prefix, a range or everything from a key on, and whether to return what was deleted.
/// </summary>
/// <remarks>At most one of <see cref="Prefix"/>, <see cref="FromKey"/>, <see cref="RangeEnd"/> and <see cref="RangeEndBytes"/> may be set.</remarks>
/// <example>
/// <code>
/// var deleted = await client.KV.DeleteAsync("/test/", new DeleteOptions { Prefix = true, PrevKv = true });
/// </code>
/// </example>
public sealed class DeleteOptions
{
    /// <summary>
    /// Delete every key that starts with the given key. An empty key with this option deletes every key.
    /// Prefix <c>/test</c> also matches <c>/testspam</c>; end a directory-like prefix with <c>/</c>.
    /// </summary>
    public bool Prefix { get; set; }

    /// <summary>Delete every key greater than or equal to the given key (an empty key: every key).</summary>
    public bool FromKey { get; set; }

    /// <summary>Delete the range [key, <see cref="RangeEnd"/>), the end given as a UTF-8 string.</summary>
    public string? RangeEnd { get; set; }

    /// <summary>Delete the range [key, <see cref="RangeEndBytes"/>), the end given as bytes.</summary>
    public ReadOnlyMemory<byte>? RangeEndBytes { get; set; }

    /// <summary>Return the deleted keys with their last values in <see cref="DeleteResponse.PrevKvs"/>.</summary>
    public bool PrevKv { get; set; }
}
