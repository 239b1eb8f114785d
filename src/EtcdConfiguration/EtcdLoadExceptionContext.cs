namespace EtcdConfiguration;

/// <summary>What went wrong while loading or reloading, passed to <see cref="EtcdConfigurationSource.OnLoadException"/>.</summary>
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

    /// <summary>The etcd key that was skipped, or <see langword="null"/> when the failure is not about one key.</summary>
    public string? Key { get; }

    /// <summary>
    /// Set to <see langword="true"/> to start without this source when its first load fails, instead of
    /// failing the app. Has no effect on skipped keys or on reload failures, which never reach the app.
    /// </summary>
    public bool Ignore { get; set; }
}
