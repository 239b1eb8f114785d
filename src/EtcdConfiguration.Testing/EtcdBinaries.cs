namespace EtcdConfiguration.Testing;

/// <summary>Where the etcd and etcdctl executables are: <c>ETCD_BIN</c> / <c>ETCDCTL_BIN</c>, else PATH.</summary>
public static class EtcdBinaries
{
    private const string InstallHint = "on Debian or Ubuntu install it with: sudo apt-get install etcd-server etcd-client";

    /// <summary>Full path of the etcd server executable.</summary>
    /// <exception cref="InvalidOperationException">etcd is not installed.</exception>
    public static string Etcd => Locate("etcd", "ETCD_BIN", Environment.GetEnvironmentVariable);

    /// <summary>Full path of the etcdctl executable.</summary>
    /// <exception cref="InvalidOperationException">etcdctl is not installed.</exception>
    public static string Etcdctl => Locate("etcdctl", "ETCDCTL_BIN", Environment.GetEnvironmentVariable);

    /// <summary>Full path of util-linux setpriv, which gives etcd its parent-death signal.</summary>
    internal static string Setpriv
    {
        get
        {
            var found = FindOnPath("setpriv", Environment.GetEnvironmentVariable("PATH"));
            if (found is not null)
            {
                return found;
            }

            return File.Exists("/usr/bin/setpriv")
                ? "/usr/bin/setpriv"
                : throw new InvalidOperationException(
                    "setpriv was not found on PATH; install it with: sudo apt-get install util-linux.");
        }
    }

    /// <summary>The lookup behind <see cref="Etcd"/> and <see cref="Etcdctl"/>, with the environment passed in.</summary>
    internal static string Locate(string fileName, string variable, Func<string, string?> environment)
    {
        var configured = environment(variable);
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured)
                ? Path.GetFullPath(configured)
                : throw new InvalidOperationException(
                    $"{fileName} was not found: {variable} is '{configured}', which does not exist; " +
                    $"{InstallHint}, or set {variable} to its full path.");
        }

        return FindOnPath(fileName, environment("PATH"))
            ?? throw new InvalidOperationException(
                $"{fileName} was not found on PATH; {InstallHint}, or set {variable} to its full path.");
    }

    private static string? FindOnPath(string fileName, string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, fileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
