namespace EtcdConfiguration.Client.Internal.Watching;

/// <summary>How a Watch stream ended.</summary>
internal enum WatchSessionEndKind
{
    /// <summary>No watcher is left: the stream is closed until the next watch.</summary>
    Idle,

    /// <summary>The client is being disposed.</summary>
    Closed,

    /// <summary>The stream or its endpoint failed: fail over, back off and re-create every watch.</summary>
    Broken,

    /// <summary>etcd refused the auth token: authenticate again and re-create every watch on the same endpoint.</summary>
    NewToken,
}
