namespace EtcdConfiguration.Testing.Internal;

/// <summary>The last lines a process wrote, bounded in count and length.</summary>
internal sealed class LogTail
{
    private const int MaxLineLength = 2000;
    private readonly int _capacity;
    private readonly Queue<string> _lines = new();
    private readonly Lock _lock = new();
    private long _added;

    public LogTail(int capacity = 300) => _capacity = capacity;

    /// <summary>How many lines were added so far, including those no longer kept; a mark for <see cref="ContainsSince"/>.</summary>
    public long Added
    {
        get
        {
            lock (_lock)
            {
                return _added;
            }
        }
    }

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
            _added++;
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

    /// <summary>Whether a line added after <paramref name="mark"/> (a value of <see cref="Added"/>) and still kept contains <paramref name="text"/>.</summary>
    public bool ContainsSince(long mark, string text)
    {
        lock (_lock)
        {
            var recent = (int)Math.Min(_lines.Count, Math.Max(0, _added - mark));
            return _lines.Skip(_lines.Count - recent).Any(line => line.Contains(text, StringComparison.Ordinal));
        }
    }

    public string Last(int count)
    {
        var lines = Snapshot();
        return lines.Count == 0
            ? "    (no output)"
            : string.Join('\n', lines.Skip(Math.Max(0, lines.Count - count)).Select(line => "    " + line));
    }
}
