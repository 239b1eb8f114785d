namespace EtcdConfiguration.Client;

/// <summary>
/// The shared Watch stream broke (see <see cref="WatchClient.StreamBroken"/>). The client reconnects by itself:
/// after <see cref="RetryDelay"/> it opens a stream on <see cref="NextEndpoint"/> and re-creates every watch from
/// the revision after the last one it delivered, so no change is lost.
/// </summary>
public sealed class WatchStreamBrokenEventArgs : EventArgs
{
    internal WatchStreamBrokenEventArgs(string endpoint, Exception cause, string nextEndpoint, TimeSpan retryDelay, int attempt)
    {
        Endpoint = endpoint;
        Cause = cause;
        Reason = Internal.FailureText.EndSentence(Internal.FailureText.Describe(cause));
        NextEndpoint = nextEndpoint;
        RetryDelay = retryDelay;
        Attempt = attempt;
    }

    /// <summary>The endpoint whose stream broke.</summary>
    public string Endpoint { get; }

    /// <summary>Why it broke: the transport's or etcd's failure, or a timeout when a member stopped answering.</summary>
    public Exception Cause { get; }

    /// <summary>
    /// Why it broke, in words for a log or a health page: the gRPC status code and the transport's messages down to
    /// the root cause (such as <c>Unavailable: Connection refused (127.0.0.1:2379).</c>), without gRPC's debug dump.
    /// </summary>
    public string Reason { get; }

    /// <summary>The endpoint the next stream will be opened on (the same one when there is only one).</summary>
    public string NextEndpoint { get; }

    /// <summary>How long the client waits before reconnecting (see <see cref="EtcdRetryPolicy"/>).</summary>
    public TimeSpan RetryDelay { get; }

    /// <summary>Which reconnect this is since the stream last worked: 1 for the first.</summary>
    public int Attempt { get; }
}
