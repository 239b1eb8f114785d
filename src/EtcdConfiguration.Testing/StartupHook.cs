using System.Diagnostics.CodeAnalysis;
using EtcdConfiguration.Testing.Internal;

/// <summary>
/// .NET startup hook (DOTNET_STARTUP_HOOKS=&lt;this assembly&gt;): lets a test run this library in a child process it
/// can SIGKILL, to prove the parent-death signal reaps etcd. Does nothing unless the child was asked for.
/// </summary>
[SuppressMessage("Design", "CA1050:Declare types in namespaces", Justification = "The runtime looks for a type named StartupHook in no namespace.")]
internal static class StartupHook
{
    public static void Initialize()
    {
        if (Environment.GetEnvironmentVariable(LeftoverGuard.Variable) == "1")
        {
            LeftoverGuard.RunChild();
        }
    }
}
