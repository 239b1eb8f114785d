namespace EtcdConfiguration.Client;

/// <summary>What a role's <see cref="Permission"/> allows on its keys.</summary>
public enum PermissionType
{
    /// <summary>Reads (gets, watches).</summary>
    Read = 0,

    /// <summary>Writes (puts, deletes).</summary>
    Write = 1,

    /// <summary>Reads and writes.</summary>
    ReadWrite = 2,
}
