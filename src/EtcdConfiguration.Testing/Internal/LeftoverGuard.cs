using System.Diagnostics;

namespace EtcdConfiguration.Testing.Internal;

/// <summary>
/// A child .NET process that starts an etcd member through this library and waits to be killed, so a test can
/// SIGKILL it (no ProcessExit handler runs) and check that the member dies with it.
/// </summary>
internal static class LeftoverGuard
{
    public const string Variable = "ETCD_TESTING_LEFTOVER_GUARD";

    /// <summary>
    /// Starts <c>dotnet exec <paramref name="hostAssembly"/></c> (any app assembly whose output folder holds this
    /// library) with this library as its startup hook.
    /// </summary>
    public static Process StartChild(string hostAssembly)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(hostAssembly);
        info.Environment["DOTNET_STARTUP_HOOKS"] = typeof(LeftoverGuard).Assembly.Location;
        info.Environment[Variable] = "1";
        return Process.Start(info) ?? throw new InvalidOperationException("Could not start the leftover-guard child.");
    }

    /// <summary>The child's side: start a member, report it on stdout, then wait until stdin closes.</summary>
    public static void RunChild()
    {
        var cluster = EtcdCluster.StartAsync().GetAwaiter().GetResult();
        foreach (var member in cluster.Members)
        {
            Console.WriteLine($"pid {member.ProcessId}");
        }

        Console.WriteLine($"dir {cluster.Directory}");
        Console.WriteLine("ready");
        Console.Out.Flush();

        // The parent kills this process; if the parent itself dies first, stdin closes and this child cleans up.
        Console.In.ReadToEnd();
        cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Environment.Exit(0);
    }

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
