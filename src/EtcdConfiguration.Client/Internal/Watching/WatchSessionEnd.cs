namespace EtcdConfiguration.Client.Internal.Watching;

/// <summary>Why a Watch stream ended, which decides how the <see cref="WatchMultiplexer"/> goes on.</summary>
/// <param name="Kind">What to do next.</param>
/// <param name="Cause">The failure, for the log; <see langword="null"/> when nothing failed.</param>
internal sealed record WatchSessionEnd(WatchSessionEndKind Kind, Exception? Cause)
{
    public static WatchSessionEnd Idle { get; } = new(WatchSessionEndKind.Idle, null);

    public static WatchSessionEnd Closed { get; } = new(WatchSessionEndKind.Closed, null);

    public static WatchSessionEnd Broken(Exception cause) => new(WatchSessionEndKind.Broken, cause);

    public static WatchSessionEnd NewToken(Exception cause) => new(WatchSessionEndKind.NewToken, cause);
}
