using EtcdConfiguration.Monitoring;
using EtcdConfiguration.Store;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Caching;

/// <summary>
/// The last-known-good cache of one provider (<see cref="EtcdConfigurationSource.CacheFile"/>): reading it when
/// etcd cannot be reached at startup, and saving the data in the background after each change.
/// </summary>
internal sealed class LastKnownGoodCache
{
    /// <summary>
    /// The etcd key the cached pairs are stored under after a start from the cache. No key under a prefix can
    /// equal it, so the first listing from etcd withdraws it (a replace) and readers see only the net difference.
    /// </summary>
    public const string CachedDataKey = "\0last-known-good";

    private readonly string _prefix;
    private readonly string _valueFormat;
    private readonly ILogger _logger;
    private readonly FailureReporter _reporter;
    private readonly CacheWriter _writer;

    /// <summary>Creates the cache of the provider that serves <paramref name="store"/>.</summary>
    /// <param name="path">The cache file.</param>
    /// <param name="prefix">The normalised prefix.</param>
    /// <param name="valueFormat">The source's value format; a file written for another is not used.</param>
    /// <param name="store">The data to save.</param>
    /// <param name="revision">The revision the data reflects now.</param>
    /// <param name="reporter">Where an unusable file is reported.</param>
    /// <param name="logger">The provider's logger.</param>
    public LastKnownGoodCache(string path, string prefix, EtcdValueFormat valueFormat, ConfigurationStore store, Func<long> revision, FailureReporter reporter, ILogger logger)
    {
        Path = path;
        _prefix = prefix;
        _valueFormat = valueFormat.ToString();
        _logger = logger;
        _reporter = reporter;

        // The revision is read before the copy: the store changes before the revision moves, so the copy reflects at
        // least that revision (perhaps a little more; a start from the cache always re-reads etcd, so the stored
        // revision is informational).
        _writer = new CacheWriter(
            path,
            () =>
            {
                var at = revision();
                return new CacheDocument(_prefix, _valueFormat, at, DateTimeOffset.UtcNow, store.Snapshot());
            },
            logger);
    }

    public string Path { get; }

    /// <summary>
    /// Reads the cache file when it is intact and was written for this prefix and value format. A missing file is
    /// normal on a first start; an unusable one is reported and ignored, never partly trusted.
    /// </summary>
    public CacheDocument? TryRead()
    {
        CacheDocument? document;
        try
        {
            document = CacheFile.Read(Path);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            Reject(ex is InvalidDataException ? ex.Message : $"it could not be read ({ex.Message})");
            return null;
        }

        if (document is null)
        {
            _logger.LogInformation("There is no configuration cache file '{Path}' for '{Prefix}' to start from.", Path, _prefix);
            return null;
        }

        if (!string.Equals(document.Prefix, _prefix, StringComparison.Ordinal) || !string.Equals(document.ValueFormat, _valueFormat, StringComparison.Ordinal))
        {
            Reject($"it was written for prefix '{document.Prefix}' with value format {document.ValueFormat}, not '{_prefix}' with {_valueFormat}.");
            return null;
        }

        return document;
    }

    /// <summary>Marks the saved data out of date; the writer saves the then-current data soon.</summary>
    public void Schedule() => _writer.Schedule();

    /// <summary>Lets a write in flight finish (within <paramref name="timeout"/>) and writes no more.</summary>
    public void Close(TimeSpan timeout) => _writer.Close(timeout);

    private void Reject(string reason)
    {
        var failure = new InvalidDataException($"The configuration cache file '{Path}' for '{_prefix}' was ignored: {reason}");
        _logger.LogWarning("{Message}", failure.Message);
        _reporter.Report(failure, key: null);
    }
}
