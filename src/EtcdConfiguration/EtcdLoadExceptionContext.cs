namespace EtcdConfiguration;

/// <summary>
/// What went wrong while loading or reloading, passed to <see cref="EtcdConfigurationSource.OnLoadException"/>:
/// either a failed load (<see cref="Key"/> is <see langword="null"/>) or one etcd key skipped for a bad value
/// (<see cref="Key"/> names it).
/// </summary>
/// <remarks>
/// As with <c>AddJsonFile</c>'s <c>OnLoadException</c>, setting <see cref="Ignore"/> lets the app start without the
/// source; for a required etcd source that means fail-fast is off: it starts empty (with a Warning saying so) and
/// loads in the background. To log and carry on only for skipped keys, set it only when <see cref="Key"/> is not
/// <see langword="null"/>, or not at all: skipped keys never fail the app.
/// </remarks>
public class EtcdLoadExceptionContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="provider">The provider that failed.</param>
    /// <param name="exception">What failed.</param>
    /// <param name="key">The etcd key that was skipped, when one key's value was at fault.</param>
    public EtcdLoadExceptionContext(EtcdConfigurationProvider provider, Exception exception, string? key)
    {
        Provider = provider;
        Exception = exception;
        Key = key;
    }

    /// <summary>The provider that failed.</summary>
    public EtcdConfigurationProvider Provider { get; }

    /// <summary>What failed. Its message names keys and endpoints, never values or secrets.</summary>
    public Exception Exception { get; }

    /// <summary>
    /// The etcd key that was skipped for a bad value, or <see langword="null"/> when loading failed: this is what
    /// tells the two kinds of report apart.
    /// </summary>
    public string? Key { get; }

    /// <summary>
    /// Set to <see langword="true"/> to start without this source when its first load fails, instead of
    /// failing the app: for a required source this turns fail-fast off. Has no effect on skipped keys or on
    /// reload failures, which never reach the app.
    /// </summary>
    public bool Ignore { get; set; }
}
