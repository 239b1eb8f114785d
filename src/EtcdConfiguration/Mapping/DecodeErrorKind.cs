namespace EtcdConfiguration.Mapping;

/// <summary>What was wrong with a value that could not be decoded.</summary>
internal enum DecodeErrorKind
{
    /// <summary>The value bytes are not valid UTF-8.</summary>
    InvalidUtf8,

    /// <summary>The value does not parse as JSON.</summary>
    InvalidJson,

    /// <summary>The JSON nests deeper than <see cref="JsonValueFlattener.MaxDepth"/>.</summary>
    TooDeep,

    /// <summary>The JSON gives the same configuration key twice (keys compare case-insensitively).</summary>
    DuplicateKey,

    /// <summary>The prefix key holds something other than a JSON object or array, which has no configuration key.</summary>
    ScalarAtRoot,
}
