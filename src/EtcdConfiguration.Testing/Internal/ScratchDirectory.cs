using System.Globalization;

namespace EtcdConfiguration.Testing.Internal;

/// <summary>Per-cluster directories for data and certificates, on tmpfs (/dev/shm) when there is one.</summary>
internal static class ScratchDirectory
{
    private const string Prefix = "etcd-testing-";
    private static readonly Lazy<string> _root = new(ChooseRoot);

    /// <summary>Creates a new directory named for this process, so later runs can tell whose it was.</summary>
    public static string Create()
    {
        var path = Path.Combine(_root.Value, $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Deletes a directory tree; etcd may still be closing files for a moment after SIGKILL.</summary>
    public static void Delete(string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }

                return;
            }
            catch (IOException) when (attempt < 5)
            {
                Thread.Sleep(50 * attempt);
            }
        }
    }

    private static string ChooseRoot()
    {
        var root = Directory.Exists("/dev/shm") && IsWritable("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        DeleteLeftovers(root);
        return root;
    }

    private static bool IsWritable(string directory)
    {
        var probe = Path.Combine(directory, $"{Prefix}probe-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(probe);
            Directory.Delete(probe);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // A test host killed outright leaves its directories behind (its members die with it); remove those whose
    // owning process no longer exists, once per run.
    private static void DeleteLeftovers(string root)
    {
        foreach (var directory in Directory.EnumerateDirectories(root, Prefix + "*"))
        {
            var name = Path.GetFileName(directory.AsSpan())[Prefix.Length..];
            var dash = name.IndexOf('-');
            if (dash > 0
                && int.TryParse(name[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var owner)
                && owner != Environment.ProcessId
                && !Directory.Exists($"/proc/{owner}"))
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"etcd-testing: could not delete leftover {directory}: {exception.Message}");
                }
            }
        }
    }
}
