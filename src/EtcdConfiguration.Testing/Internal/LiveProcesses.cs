using System.Collections.Concurrent;
using System.Diagnostics;

namespace EtcdConfiguration.Testing.Internal;

/// <summary>Every etcd process this test run started and has not reaped, killed when the process exits normally.</summary>
/// <remarks>A test host that dies by SIGKILL skips this; the parent-death signal from setpriv covers that case.</remarks>
internal static class LiveProcesses
{
    private static readonly ConcurrentDictionary<int, Process> _processes = new();

    static LiveProcesses() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    public static void Add(Process process) => _processes[process.Id] = process;

    public static void Remove(Process process) => _processes.TryRemove(process.Id, out _);

    private static void KillAll()
    {
        foreach (var process in _processes.Values)
        {
            // SIGKILL ends a stopped (paused) process too; no need to SIGCONT first.
            UnixSignals.Send(process.Id, UnixSignals.SigKill);
        }
    }
}
