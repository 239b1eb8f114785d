namespace EtcdConfiguration.Client;

/// <summary>The kinds of alarm an etcd member raises.</summary>
public enum AlarmType
{
    /// <summary>No alarm.</summary>
    None = 0,

    /// <summary>The backend database exceeded its quota (<c>--quota-backend-bytes</c>); etcd accepts only reads and deletes.</summary>
    NoSpace = 1,

    /// <summary>A member's data was found inconsistent with the others'.</summary>
    Corrupt = 2,
}
