namespace EtcdConfiguration.Client.Concurrency;

/// <summary>Why a <see cref="Session"/> was lost, for <see cref="Session.Lost"/>.</summary>
/// <param name="exception">What was lost and why.</param>
public sealed class SessionLostEventArgs(SessionLostException exception) : EventArgs
{
    /// <summary>What was lost and why; its inner exception is the failure that ended the keep-alive, if one did.</summary>
    public SessionLostException Exception { get; } = exception;
}
