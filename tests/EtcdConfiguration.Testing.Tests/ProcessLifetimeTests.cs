using System.Diagnostics;
using EtcdConfiguration.Testing.Internal;

namespace EtcdConfiguration.Testing.Tests;

public sealed class ProcessLifetimeTests
{
    [Fact]
    public async Task The_parent_death_signal_fires_when_the_forking_thread_exits()
    {
        // The hazard the launcher thread exists for: a child of setpriv --pdeathsig is killed as soon as the
        // thread that started it exits, although the process lives on.
        var started = await OnThreadThatExitsAsync(() =>
        {
            var info = new ProcessStartInfo(EtcdBinaries.Setpriv) { ArgumentList = { "--pdeathsig", "KILL", "--", "sleep", "120" } };
            var child = Process.Start(info) ?? throw new InvalidOperationException("setpriv did not start.");
            // setpriv sets the signal only after it starts; exiting earlier would leave nothing to fire.
            string? name = null;
            var waited = Stopwatch.StartNew();
            while (name != "sleep" && waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(5);
                name = UnixSignals.ProcessName(child.Id);
            }

            return (Child: child, NameBeforeExit: name);
        });
        using var child = started.Child;
        // Checked before the thread exits: afterwards the signal may already have killed it.
        Assert.Equal("sleep", started.NameBeforeExit);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await child.WaitForExitAsync(timeout.Token);
        Assert.Equal(128 + UnixSignals.SigKill, child.ExitCode);
    }

    [Fact]
    public async Task A_member_started_from_a_thread_that_exits_keeps_running()
    {
        var (started, threadId) = await OnThreadThatExitsAsync(() =>
        {
            var threadId = Path.GetFileName(Directory.ResolveLinkTarget("/proc/thread-self", returnFinalTarget: false)!.FullName);
            return (EtcdCluster.StartAsync().GetAwaiter().GetResult(), threadId);
        });
        await using var cluster = started;
        await Eventually.TrueAsync(() => !Directory.Exists($"/proc/self/task/{threadId}"), "the starting thread has exited");

        await cluster.PutAsync("lifetime/key", "still here");

        Assert.Equal("still here", await cluster.GetAsync("lifetime/key"));
        Assert.True(UnixSignals.IsAlive(cluster.Members[0].ProcessId!.Value));
    }

    [Fact]
    public async Task Members_die_with_a_test_host_that_is_killed_outright()
    {
        using var child = LeftoverGuard.StartChild(typeof(ProcessLifetimeTests).Assembly.Location);
        var errors = child.StandardError.ReadToEndAsync();
        var processIds = new List<int>();
        string? directory = null;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await child.StandardOutput.ReadLineAsync(timeout.Token) is { } line && line != "ready")
            {
                if (line.StartsWith("pid ", StringComparison.Ordinal))
                {
                    processIds.Add(int.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture));
                }
                else if (line.StartsWith("dir ", StringComparison.Ordinal))
                {
                    directory = line[4..];
                }
            }

            Assert.True(processIds.Count > 0, "The child reported no etcd process.");
            Assert.All(processIds, id => Assert.True(UnixSignals.IsAlive(id)));

            child.Kill();
            await child.WaitForExitAsync(timeout.Token);

            foreach (var id in processIds)
            {
                await Eventually.TrueAsync(() => !UnixSignals.IsAlive(id), $"etcd {id} died with its killed parent");
            }
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }

            if (directory is not null)
            {
                ScratchDirectory.Delete(directory);
            }
        }

        Assert.NotNull(directory);
        Assert.DoesNotContain("Unhandled", await errors, StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a new thread that exits right after, and hands back its result or failure
    /// (an exception escaping a thread would end the test host). Waiting for it blocks no pool thread.
    /// </summary>
    private static Task<T> OnThreadThatExitsAsync<T>(Func<T> work)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                result.SetResult(work());
            }
            catch (Exception ex)
            {
                result.SetException(ex);
            }
        });
        thread.Start();
        return result.Task.WaitAsync(TimeSpan.FromSeconds(90));
    }
}
