namespace EtcdConfiguration.Mapping;

/// <summary>Why <see cref="KeyMapper.TryMap"/> gave no configuration path for an etcd key.</summary>
internal enum KeyMapError
{
    /// <summary>The key was mapped.</summary>
    None,

    /// <summary>The key does not start with the prefix (a stray event, or <c>/myappspam</c> for <c>/myapp/</c>).</summary>
    OutsidePrefix,

    /// <summary>The part of the key after the prefix is not valid UTF-8; the key is skipped and reported.</summary>
    InvalidUtf8,
}
