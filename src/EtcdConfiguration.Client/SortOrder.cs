namespace EtcdConfiguration.Client;

/// <summary>The order in which <see cref="KVClient.GetAsync(string, GetOptions?, CancellationToken)"/> returns keys.</summary>
public enum SortOrder
{
    /// <summary>
    /// No sorting asked for: keys come in ascending key order, or ascending by <see cref="GetOptions.SortTarget"/>
    /// when that is not <see cref="SortTarget.Key"/> (etcd's rule).
    /// </summary>
    None = 0,

    /// <summary>Smallest first.</summary>
    Ascend = 1,

    /// <summary>Largest first.</summary>
    Descend = 2,
}
