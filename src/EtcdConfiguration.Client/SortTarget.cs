namespace EtcdConfiguration.Client;

/// <summary>What <see cref="GetOptions.SortOrder"/> sorts keys by.</summary>
public enum SortTarget
{
    /// <summary>The key bytes (the default).</summary>
    Key = 0,

    /// <summary>The number of times the key was written since its creation.</summary>
    Version = 1,

    /// <summary>The revision that created the key.</summary>
    CreateRevision = 2,

    /// <summary>The revision that last modified the key.</summary>
    ModRevision = 3,

    /// <summary>The value bytes.</summary>
    Value = 4,
}
