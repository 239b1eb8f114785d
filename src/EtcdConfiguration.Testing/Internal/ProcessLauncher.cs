using System.Collections.Concurrent;
using System.Diagnostics;

namespace EtcdConfiguration.Testing.Internal;

/// <summary>
/// Starts every etcd process from one long-lived thread.
/// </summary>
/// <remarks>
/// etcd runs under <c>setpriv --pdeathsig KILL</c>, and Linux sends the parent-death signal when the
/// <em>thread</em> that forked the child exits, not only the process. Thread-pool threads retire when idle,
/// so a member started from one would be killed at a random later moment. This thread never exits while the
/// process lives, so the signal fires only when the test host itself dies (even by SIGKILL).
/// </remarks>
internal static class ProcessLauncher
{
    private static readonly BlockingCollection<Action> _work = new();
    private static readonly Thread _thread = StartThread();

    /// <summary>The managed id of the launcher thread (for tests).</summary>
    internal static int ManagedThreadId => _thread.ManagedThreadId;

    /// <summary>Runs <paramref name="start"/> on the launcher thread and returns what it produced.</summary>
    public static Task<Process> StartAsync(Func<Process> start)
    {
        var result = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                result.SetResult(start());
            }
            catch (Exception exception)
            {
                // Handed to the caller: an exception escaping this thread would end the test host.
                result.SetException(exception);
            }
        });
        return result.Task;
    }

    private static Thread StartThread()
    {
        var thread = new Thread(Run)
        {
            IsBackground = true,
            Name = "etcd-testing process launcher",
        };
        thread.Start();
        return thread;
    }

    private static void Run()
    {
        foreach (var item in _work.GetConsumingEnumerable())
        {
            item();
        }
    }
}
