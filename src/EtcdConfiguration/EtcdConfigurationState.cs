namespace EtcdConfiguration;

/// <summary>Where an <see cref="EtcdConfigurationProvider"/>'s data comes from and whether it follows etcd.</summary>
public enum EtcdConfigurationState
{
    /// <summary>The first load has not finished yet; there is no data.</summary>
    Loading,

    /// <summary>
    /// The data was loaded from etcd and, with <see cref="EtcdConfigurationSource.ReloadOnChange"/>, the watch
    /// follows every change.
    /// </summary>
    Live,

    /// <summary>
    /// The data was loaded from etcd, but the connection was lost; the provider is retrying and the data may be
    /// behind etcd until it succeeds.
    /// </summary>
    Reconnecting,

    /// <summary>
    /// etcd could not be reached at startup and the data comes from <see cref="EtcdConfigurationSource.CacheFile"/>;
    /// it is replaced by etcd's as soon as etcd answers.
    /// </summary>
    Stale,

    /// <summary>
    /// There is no data: the first load failed and no usable cache file was found. The provider keeps retrying
    /// in the background.
    /// </summary>
    Failed,
}
