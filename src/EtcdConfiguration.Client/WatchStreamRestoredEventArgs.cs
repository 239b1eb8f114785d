namespace EtcdConfiguration.Client;

/// <summary>
/// The shared Watch stream works again after a break (see <see cref="WatchClient.StreamRestored"/>): etcd created a
/// watch on the new stream, and the watches resume where they left off.
/// </summary>
public sealed class WatchStreamRestoredEventArgs : EventArgs
{
    internal WatchStreamRestoredEventArgs(string endpoint) => Endpoint = endpoint;

    /// <summary>The endpoint the new stream is open on.</summary>
    public string Endpoint { get; }
}
