using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Monitoring;

/// <summary>
/// Tells the app about a failure: the log (for one skipped key) and <see cref="EtcdConfigurationSource.OnLoadException"/>.
/// A callback that throws is logged, never passed on: it must not break the load or the watch.
/// </summary>
internal sealed class FailureReporter(EtcdConfigurationProvider provider, string prefix, ILogger logger)
{
    /// <summary>Reports <paramref name="failure"/>; <paramref name="key"/> is the etcd key skipped, if it is about one.</summary>
    /// <returns>The context the callback saw, whose <see cref="EtcdLoadExceptionContext.Ignore"/> it may have set.</returns>
    public EtcdLoadExceptionContext Report(Exception failure, string? key)
    {
        var context = new EtcdLoadExceptionContext(provider, failure, key);
        if (key is not null)
        {
            logger.LogWarning("{Message}", failure.Message);
        }

        try
        {
            provider.Source.OnLoadException?.Invoke(context);
        }
        catch (Exception callbackFailure)
        {
            logger.LogError(callbackFailure, "The OnLoadException callback of the etcd source for '{Prefix}' threw.", prefix);
        }

        return context;
    }
}
