using System.Diagnostics;
using EtcdConfiguration.Client;
using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Tests.Support;

/// <summary>
/// Repeats a test's own write (or read) on a cluster of several members while etcd refuses it for a passing reason: an
/// election (which a loaded machine can trigger at any time: "leader changed", no leader yet) or a request that
/// timed out meanwhile. Such a write may or may not have been applied; the writes repeated here set keys to fixed
/// values or delete them, so applying one twice leaves the same keys and values.
/// </summary>
internal static class TransientRetry
{
    /// <summary>What etcdctl writes to standard error when it gives up for one of those reasons.</summary>
    private static readonly string[] s_etcdctlMarkers =
        ["leader changed", "no leader", "timed out", "deadline exceeded", "DeadlineExceeded", "code = Unavailable"];

    /// <summary>
    /// Runs <paramref name="call"/> until it succeeds, repeating it after a transient failure for at most
    /// <see cref="Eventually.DefaultTimeout"/>; any other failure, or one after that, is thrown. The call is
    /// told whether it repeats an earlier attempt (which may have been applied).
    /// </summary>
    public static async Task<T> RunAsync<T>(Func<bool, Task<T>> call)
    {
        var clock = Stopwatch.StartNew();
        for (var repeat = false; ; repeat = true)
        {
            try
            {
                return await call(repeat);
            }
            catch (Exception ex) when (IsTransient(ex) && clock.Elapsed < Eventually.DefaultTimeout)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Runs <paramref name="call"/> until it succeeds (see <see cref="RunAsync{T}(Func{bool, Task{T}})"/>).</summary>
    public static Task<T> RunAsync<T>(Func<Task<T>> call) => RunAsync(_ => call());

    /// <summary>Runs <paramref name="call"/> until it succeeds (see <see cref="RunAsync{T}(Func{bool, Task{T}})"/>).</summary>
    public static Task RunAsync(Func<Task> call) =>
        RunAsync(async _ =>
        {
            await call();
            return true;
        });

    private static bool IsTransient(Exception failure) => failure switch
    {
        EtcdUnavailableException or EtcdDeadlineExceededException => true,
        EtcdctlException etcdctl => etcdctl.ExitCode is null
            || s_etcdctlMarkers.Any(marker => etcdctl.StandardError.Contains(marker, StringComparison.Ordinal)),
        _ => false,
    };
}
