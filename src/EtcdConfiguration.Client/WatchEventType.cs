namespace EtcdConfiguration.Client;

/// <summary>What happened to a key in a <see cref="WatchEvent"/>.</summary>
public enum WatchEventType
{
    /// <summary>The key was created or its value (or lease) changed.</summary>
    Put = 0,

    /// <summary>The key was deleted, explicitly or because its lease expired.</summary>
    Delete = 1,
}
