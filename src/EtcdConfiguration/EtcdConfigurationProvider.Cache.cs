using EtcdConfiguration.Internal;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration;

// The last-known-good cache: starting from it when etcd cannot be reached, and what the writer saves.
public partial class EtcdConfigurationProvider
{
    // The etcd key the cached pairs are stored under after a start from the cache. No key under a prefix can equal
    // it, so the first listing from etcd withdraws it (ReplaceAll) and readers see only the net difference.
    private const string CachedDataKey = "\0last-known-good";

    /// <summary>
    /// Fills the store from the cache file when it is intact and was written for this prefix and value format.
    /// A missing file is normal on a first start; an unusable one is reported and ignored, never partly trusted.
    /// </summary>
    private bool TryStartFromCache()
    {
        var path = Source.CacheFile;
        if (string.IsNullOrWhiteSpace(path))
        {
            return false;
        }

        CacheDocument? document;
        try
        {
            document = CacheFile.Read(path);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            RejectCache(path, ex is InvalidDataException ? ex.Message : $"it could not be read ({ex.Message})");
            return false;
        }

        if (document is null)
        {
            Logger.LogInformation("There is no configuration cache file '{Path}' for '{Prefix}' to start from.", path, _mapper.Prefix);
            return false;
        }

        var format = Source.ValueFormat.ToString();
        if (!string.Equals(document.Prefix, _mapper.Prefix, StringComparison.Ordinal) || !string.Equals(document.ValueFormat, format, StringComparison.Ordinal))
        {
            RejectCache(path, $"it was written for prefix '{document.Prefix}' with value format {document.ValueFormat}, not '{_mapper.Prefix}' with {format}.");
            return false;
        }

        lock (_applyGate)
        {
            if (document.Pairs.Length > 0)
            {
                _store.ReplaceAll([new EtcdKeyChange(CachedDataKey, 0, document.Pairs)]);
            }
        }

        _status.Restored(document.Revision, document.WrittenAt, _store.Count);
        EtcdConfigurationMetrics.CountLoad(_mapper.Prefix, "cache");
        Logger.LogWarning(
            "Starting the configuration of '{Prefix}' from the cache file '{Path}' ({Count} keys, revision {Revision}, written at {WrittenAt:O}); it is stale until etcd answers.",
            _mapper.Prefix,
            path,
            document.Pairs.Length,
            document.Revision,
            document.WrittenAt);
        return true;
    }

    private void RejectCache(string path, string reason)
    {
        var failure = new InvalidDataException($"The configuration cache file '{path}' for '{_mapper.Prefix}' was ignored: {reason}");
        Logger.LogWarning("{Message}", failure.Message);
        ReportFailure(failure, key: null);
    }

    /// <summary>
    /// The data to save, on the writer's task. The revision is read before the copy: the store changes before the
    /// revision moves, so the copy reflects at least that revision (perhaps a little more; a start from the cache
    /// always re-reads etcd, so the stored revision is informational).
    /// </summary>
    private CacheDocument CaptureCache()
    {
        var revision = Revision;
        return new CacheDocument(_mapper.Prefix, Source.ValueFormat.ToString(), revision, DateTimeOffset.UtcNow, _store.Snapshot());
    }
}
