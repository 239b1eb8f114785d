using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Validation;

/// <summary>
/// The configuration one gated options type read the last time it was bound: the sections it listed (every key
/// below them counts) and the single keys it looked up. A change to a key outside it cannot change the options,
/// so the type need not be bound again for it.
/// </summary>
/// <remarks>
/// It is learnt, not declared: whatever <c>Bind</c>, <c>Configure</c> or an app's own configure action reads
/// through <see cref="IConfiguration"/> is recorded while the type is bound from the candidate view. A section
/// with no keys yet is still recorded (the binder lists it), so keys added to it later are seen.
/// </remarks>
internal sealed class Footprint
{
    private readonly HashSet<string> _sections = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _keys = new(StringComparer.OrdinalIgnoreCase);
    private bool _everything;

    /// <summary>Whether anything was recorded yet.</summary>
    public bool IsEmpty => !_everything && _sections.Count == 0 && _keys.Count == 0;

    /// <summary>The children of <paramref name="parentPath"/> were listed (<see langword="null"/>: the root).</summary>
    public void ListedChildren(string? parentPath)
    {
        if (parentPath is null)
        {
            _everything = true;
        }
        else
        {
            _sections.Add(parentPath);
        }
    }

    /// <summary>The value of <paramref name="key"/> was looked up.</summary>
    public void LookedUp(string key) => _keys.Add(key);

    /// <summary>Adds what <paramref name="other"/> recorded: a type's footprint only grows.</summary>
    public void Absorb(Footprint other)
    {
        _everything |= other._everything;
        _sections.UnionWith(other._sections);
        _keys.UnionWith(other._keys);
    }

    /// <summary>Whether a change to <paramref name="key"/> can change what was read.</summary>
    public bool Covers(string key) => _everything || _keys.Contains(key) || InSection(key);

    /// <summary>The outermost sections and the lone keys read, for messages.</summary>
    public IEnumerable<string> Roots() =>
        _everything ? ["(the whole configuration)"]
        : _sections.Where(s => !InSection(Parent(s)))
            .Concat(_keys.Where(k => !InSection(k)))
            .Order(StringComparer.OrdinalIgnoreCase);

    // Whether the key is a recorded section or lies below one; each ancestor path is looked up.
    private bool InSection(string key)
    {
        var lookup = _sections.GetAlternateLookup<ReadOnlySpan<char>>();
        var path = key.AsSpan();
        while (!path.IsEmpty)
        {
            if (lookup.Contains(path))
            {
                return true;
            }

            int end = path.LastIndexOf(ConfigurationPath.KeyDelimiter[0]);
            path = end > 0 ? path[..end] : [];
        }

        return false;
    }

    private static string Parent(string section)
    {
        int end = section.LastIndexOf(ConfigurationPath.KeyDelimiter[0]);
        return end > 0 ? section[..end] : string.Empty;
    }
}
