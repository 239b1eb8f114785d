using System.Diagnostics;
using EtcdConfiguration.Testing.Internal;

namespace EtcdConfiguration.Testing;

/// <summary>One etcd process of an <see cref="EtcdCluster"/>: its URLs, data and a handle to kill, pause or restart it.</summary>
public sealed class EtcdMember
{
    private const string PortTakenMessage = "address already in use";
    private static readonly TimeSpan _exitTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan _portRetryDelay = TimeSpan.FromMilliseconds(250);
    private readonly IReadOnlyList<string> _arguments;
    private readonly TimeSpan _startTimeout;
    private readonly LogTail _log = new();
    private readonly Lock _lock = new();
    private Process? _process;
    private bool _paused;
    private long _startLogMark;

    internal EtcdMember(
        string name, string clientUrl, string peerUrl, string metricsUrl, string dataDirectory,
        IReadOnlyList<string> arguments, TimeSpan startTimeout)
    {
        Name = name;
        ClientUrl = clientUrl;
        PeerUrl = peerUrl;
        MetricsUrl = metricsUrl;
        DataDirectory = dataDirectory;
        _arguments = arguments;
        _startTimeout = startTimeout;
    }

    /// <summary>The member name (<c>--name</c>), e.g. <c>m0</c>.</summary>
    public string Name { get; }

    /// <summary>The client URL, e.g. <c>http://127.0.0.1:41234</c> (https with TLS).</summary>
    public string ClientUrl { get; }

    /// <summary>The plain-http peer URL.</summary>
    public string PeerUrl { get; }

    /// <summary>The plain-http URL serving <c>/health</c> and <c>/metrics</c>, even when clients use TLS.</summary>
    public string MetricsUrl { get; }

    /// <summary>The member's data directory; it survives <see cref="KillAsync"/> and is reused by <see cref="RestartAsync"/>.</summary>
    public string DataDirectory { get; }

    /// <summary>The etcd process id, or null when the member is not running.</summary>
    public int? ProcessId
    {
        get
        {
            var process = _process;
            return process is not null && !process.HasExited ? process.Id : null;
        }
    }

    /// <summary>True while the etcd process exists (also while it is paused).</summary>
    public bool IsRunning => ProcessId is not null;

    /// <summary>True between <see cref="Pause"/> and <see cref="Resume"/> (or a kill).</summary>
    public bool IsPaused => _paused && IsRunning;

    /// <summary>The last lines etcd wrote (zap JSON, warnings and errors), for diagnostics.</summary>
    public IReadOnlyList<string> RecentLogLines => _log.Snapshot();

    /// <summary>The etcd command line, for diagnostics.</summary>
    internal string CommandLine => "etcd " + string.Join(' ', _arguments);

    /// <summary>
    /// Whether the last start failed because another socket held one of the member's ports. Read it after the
    /// process has exited and its output is drained (as <see cref="WaitHealthyAsync"/> and <see cref="KillAsync"/> do).
    /// </summary>
    internal bool LostPortOnLastStart => _log.ContainsSince(_startLogMark, PortTakenMessage);

    internal string LastLogLines(int count = 40) => _log.Last(count);

    /// <summary>Kills etcd with SIGKILL (a paused member too) and waits until it has exited.</summary>
    public async Task KillAsync()
    {
        Process? process;
        lock (_lock)
        {
            process = _process;
            _process = null;
        }

        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                UnixSignals.Send(process.Id, UnixSignals.SigKill);
                UnixSignals.Send(process.Id, UnixSignals.SigCont);
            }

            using var timeout = new CancellationTokenSource(_exitTimeout);
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            _paused = false;
            LiveProcesses.Remove(process);
            process.Dispose();
        }
    }

    /// <summary>
    /// Starts etcd again with the same name, ports, data directory and command line (killing it first if it still
    /// runs), and waits until it reports healthy. While another socket holds one of its ports ("address already in
    /// use"), the start is repeated until the port is free again, within the start timeout: the member cannot move,
    /// since its peers know it by its ports.
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await KillAsync();
        var deadline = DateTime.UtcNow + _startTimeout;
        while (true)
        {
            await StartProcessAsync();
            try
            {
                await WaitHealthyAsync(deadline, cancellationToken);
                return;
            }
            catch (InvalidOperationException) when (LostPortOnLastStart && DateTime.UtcNow + _portRetryDelay < deadline)
            {
                await KillAsync();
                await Task.Delay(_portRetryDelay, cancellationToken);
            }
            catch
            {
                await KillAsync();
                throw;
            }
        }
    }

    /// <summary>Freezes etcd with SIGSTOP: its sockets stay open but it answers nothing.</summary>
    public void Pause()
    {
        var id = ProcessId ?? throw new InvalidOperationException($"etcd member {Name} is not running; it cannot be paused.");
        UnixSignals.Send(id, UnixSignals.SigStop);
        _paused = true;
    }

    /// <summary>Lets a paused etcd run again with SIGCONT.</summary>
    public void Resume()
    {
        var id = ProcessId ?? throw new InvalidOperationException($"etcd member {Name} is not running; it cannot be resumed.");
        UnixSignals.Send(id, UnixSignals.SigCont);
        _paused = false;
    }

    /// <summary>Starts the etcd process under <c>setpriv --pdeathsig KILL</c> from the launcher thread.</summary>
    internal async Task StartProcessAsync()
    {
        var info = new ProcessStartInfo(EtcdBinaries.Setpriv)
        {
            UseShellExecute = false,
            RedirectStandardInput = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add("--pdeathsig");
        info.ArgumentList.Add("KILL");
        info.ArgumentList.Add("--");
        info.ArgumentList.Add(EtcdBinaries.Etcd);
        foreach (var argument in _arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // etcd reads ETCD_* variables as flags; the ones meant for this library (ETCD_BIN) must not reach it.
        foreach (var variable in info.Environment.Keys.Where(k => k.StartsWith("ETCD", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(variable);
        }

        _startLogMark = _log.Added;
        var process = await ProcessLauncher.StartAsync(() =>
        {
            var process = new Process { StartInfo = info };
            process.OutputDataReceived += (_, e) => _log.Add(e.Data);
            process.ErrorDataReceived += (_, e) => _log.Add(e.Data);
            process.Start();
            LiveProcesses.Add(process);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return process;
        });

        lock (_lock)
        {
            _process = process;
            _paused = false;
        }
    }

    /// <summary>Polls /health until it is true; throws with the log tail when etcd exits or the deadline passes.</summary>
    internal async Task WaitHealthyAsync(DateTime deadline, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var process = _process;
            if (process is null || process.HasExited)
            {
                // HasExited turns true before the output handlers have seen etcd's last lines, which say why it exited.
                var exit = process is null ? "is not running"
                    : await WaitForOutputAsync(process) ? $"exited with code {process.ExitCode}"
                    : $"exited with code {process.ExitCode} (its output did not end within {_exitTimeout.TotalSeconds:0} s, so the log may lack its last lines)";
                throw new InvalidOperationException(
                    $"etcd member {Name} {exit} before it became healthy.\nCommand: {CommandLine}\nLast log lines:\n{LastLogLines()}");
            }

            var problem = await HealthProbe.CheckAsync(MetricsUrl, cancellationToken);
            if (problem is null)
            {
                return;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException(
                    $"etcd member {Name} did not become healthy in time ({problem}).\nCommand: {CommandLine}\nLast log lines:\n{LastLogLines()}");
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(200, delay.TotalMilliseconds * 2));
        }
    }

    /// <summary>Waits until an exited process's redirected output has been read to its end; false if that took too long.</summary>
    private static async Task<bool> WaitForOutputAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(_exitTimeout);
        try
        {
            // Once the process has exited, this waits for the end of the redirected streams.
            await process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return false;
        }
    }
}
