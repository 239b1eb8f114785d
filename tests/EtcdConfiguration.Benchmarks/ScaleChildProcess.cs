using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace EtcdConfiguration.Benchmarks;

/// <summary>The parent's side of one <see cref="ScaleChild"/>: starts it, reads its reports, asks for its memory, ends it.</summary>
internal sealed class ScaleChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<long[]>> _rounds = new();
    private readonly Task _reader;
    private readonly Task<string> _errors;
    private TaskCompletionSource<(long Heap, long Rss, long TotalRss)> _memory = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ScaleChildProcess(Process process)
    {
        _process = process;
        _errors = process.StandardError.ReadToEndAsync();
        _reader = Task.Run(ReadAsync);
    }

    public int ProcessId => _process.Id;

    /// <summary>Completes when every instance of the child exists.</summary>
    public Task Ready => _ready.Task;

    public static ScaleChildProcess Start(string variant, IReadOnlyList<string> members, string prefix, int first, int count, int rounds)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark cannot find its own executable.");
        var info = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(typeof(ScaleChild).Assembly.Location);
        }

        foreach (var arg in (string[])[ScaleChild.Flag, variant, string.Join(',', members), prefix, Text(first), Text(count), Text(rounds)])
        {
            info.ArgumentList.Add(arg);
        }

        return new ScaleChildProcess(Process.Start(info) ?? throw new InvalidOperationException("Could not start a scale child."));
    }

    /// <summary>Each instance's arrival timestamp for <paramref name="round"/> (<see cref="ScaleArrivals.Missed"/> if it skipped it).</summary>
    public Task<long[]> RoundAsync(int round) =>
        _rounds.GetOrAdd(round, _ => new TaskCompletionSource<long[]>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Per instance, after a full collection: the child's managed heap and RSS above its baseline, and its whole RSS.</summary>
    public async Task<(long Heap, long Rss, long TotalRss)> MeasureMemoryAsync()
    {
        _memory = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await _process.StandardInput.WriteLineAsync("measure");
        return await _memory.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await _process.StandardInput.WriteLineAsync("exit");
                _process.StandardInput.Close();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (Exception exception) when (exception is IOException or TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        await _reader;
        _process.Dispose();
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith(ScaleChild.Tag, StringComparison.Ordinal))
            {
                continue;
            }

            var parts = line[ScaleChild.Tag.Length..].Split(' ');
            switch (parts[0])
            {
                case "ready":
                    _ready.TrySetResult();
                    break;
                case "round":
                    var times = parts[2..].Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray();
                    _rounds.GetOrAdd(int.Parse(parts[1], CultureInfo.InvariantCulture), _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(times);
                    break;
                case "memory":
                    _memory.TrySetResult((long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture), long.Parse(parts[3], CultureInfo.InvariantCulture)));
                    break;
            }
        }

        // The child ended: whoever still waits on it hears why instead of timing out.
        var failure = new InvalidOperationException($"A scale child exited (code {(_process.HasExited ? _process.ExitCode : -1)}): {await _errors}");
        _ready.TrySetException(failure);
        _memory.TrySetException(failure);
        foreach (var pending in _rounds.Values)
        {
            pending.TrySetException(failure);
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
