using System.Diagnostics;
using System.Threading.Channels;
using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Client.Tests.Concurrency;

/// <summary>
/// A long-running etcdctl (<c>lock</c>, <c>elect</c>) whose output lines a test reads as they come. Disposing it kills
/// the process and everything it started, so no etcdctl outlives its test.
/// </summary>
internal sealed class EtcdctlProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _error = [];
    private int _disposed;

    private EtcdctlProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.Writer.TryComplete();
            }
            else
            {
                _lines.Writer.TryWrite(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_error)
                {
                    _error.Add(e.Data);
                }
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    public static EtcdctlProcess Start(EtcdCluster cluster, params string[] args)
    {
        var info = new ProcessStartInfo(EtcdBinaries.Etcdctl)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add("--endpoints=" + cluster.Endpoints);
        info.ArgumentList.Add("--dial-timeout=15s");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var variable in info.Environment.Keys.Where(k => k.StartsWith("ETCDCTL_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(variable);
        }

        info.Environment["ETCDCTL_API"] = "3";
        return new EtcdctlProcess(Process.Start(info) ?? throw new InvalidOperationException("Could not start etcdctl."));
    }

    /// <summary>The next line etcdctl prints, waiting at most 30 s.</summary>
    public async Task<string> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            return await _lines.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"etcdctl printed nothing within 30 s; its stderr: {Errors()}");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"etcdctl ended without printing another line; its stderr: {Errors()}");
        }
    }

    /// <summary>Whether a line is ready now (without waiting).</summary>
    public bool TryReadLine(out string? line) => _lines.Reader.TryRead(out line);

    public string Errors()
    {
        lock (_error)
        {
            return string.Join(" | ", _error);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
