namespace EtcdConfiguration.Testing.Internal;

/// <summary>The last lines a process wrote, bounded in count and length.</summary>
internal sealed class LogTail
{
    private const int MaxLineLength = 2000;
    private readonly int _capacity;
    private readonly Queue<string> _lines = new();
    private readonly Lock _lock = new();

    public LogTail(int capacity = 300) => _capacity = capacity;

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.Length > MaxLineLength)
        {
            line = string.Concat(line.AsSpan(0, MaxLineLength), "...");
        }

        lock (_lock)
        {
            _lines.Enqueue(line);
            while (_lines.Count > _capacity)
            {
                _lines.Dequeue();
            }
        }
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (_lock)
        {
            return _lines.ToArray();
        }
    }

    public bool Contains(string text) => Snapshot().Any(line => line.Contains(text, StringComparison.Ordinal));

    public string Last(int count)
    {
        var lines = Snapshot();
        return lines.Count == 0
            ? "    (no output)"
            : string.Join('\n', lines.Skip(Math.Max(0, lines.Count - count)).Select(line => "    " + line));
    }
}
