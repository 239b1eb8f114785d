using System.Diagnostics;
using EtcdConfiguration.Testing;
using EtcdConfiguration.Testing.Internal;

namespace EtcdConfiguration.Client.Tests.Harness;

public sealed class ProcessLifetimeTests
{
    [Fact]
    public async Task The_parent_death_signal_fires_when_the_forking_thread_exits()
    {
        // The hazard the launcher thread exists for: a child of setpriv --pdeathsig is killed as soon as the
        // thread that started it exits, although the process lives on.
        Process? child = null;
        string? nameBeforeExit = null;
        var thread = new Thread(() =>
        {
            var info = new ProcessStartInfo(EtcdBinaries.Setpriv) { ArgumentList = { "--pdeathsig", "KILL", "--", "sleep", "120" } };
            child = Process.Start(info);
            // setpriv sets the signal only after it starts; exiting earlier would leave nothing to fire.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (nameBeforeExit != "sleep" && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(5);
                nameBeforeExit = UnixSignals.ProcessName(child!.Id);
            }
        });
        thread.Start();
        thread.Join();
        using var started = child!;
        // Checked before the thread exits: afterwards the signal may already have killed it.
        Assert.Equal("sleep", nameBeforeExit);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await started.WaitForExitAsync(timeout.Token);
        Assert.Equal(128 + UnixSignals.SigKill, started.ExitCode);
    }

    [Fact]
    public async Task A_member_started_from_a_thread_that_exits_keeps_running()
    {
        EtcdCluster? started = null;
        string? threadId = null;
        var thread = new Thread(() =>
        {
            threadId = Path.GetFileName(Directory.ResolveLinkTarget("/proc/thread-self", returnFinalTarget: false)!.FullName);
            started = EtcdCluster.StartAsync().GetAwaiter().GetResult();
        });
        thread.Start();
        thread.Join();
        await using var cluster = started!;
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
}
