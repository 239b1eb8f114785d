namespace EtcdConfiguration.Client;

/// <summary>Which attribute of a key a <see cref="Compare"/> looks at.</summary>
public enum CompareTarget
{
    /// <summary>The key's version: how often it was written since creation; 0 when the key does not exist.</summary>
    Version = 0,

    /// <summary>The revision that created the key; 0 when the key does not exist.</summary>
    CreateRevision = 1,

    /// <summary>The revision that last modified the key; 0 when the key does not exist.</summary>
    ModRevision = 2,

    /// <summary>The key's value, compared as bytes.</summary>
    Value = 3,

    /// <summary>The ID of the lease the key is attached to; 0 for none.</summary>
    Lease = 4,
}
