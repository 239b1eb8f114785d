namespace EtcdConfiguration.Tool.Planning;

/// <summary>Configuration-key level differences, keys compared case-insensitively as configuration compares them.</summary>
internal static class ConfigurationDiff
{
    /// <summary>What changes from <paramref name="before"/> to <paramref name="after"/>, in key order.</summary>
    public static List<ConfigurationChange> Compare(IReadOnlyDictionary<string, string?> before, IReadOnlyDictionary<string, string?> after)
    {
        var changes = new List<ConfigurationChange>();
        foreach (var (key, old) in before)
        {
            if (!TryGet(after, key, out var now))
            {
                changes.Add(new ConfigurationChange(key, ChangeKind.Removed, old, null));
            }
            else if (!string.Equals(old, now, StringComparison.Ordinal))
            {
                changes.Add(new ConfigurationChange(key, ChangeKind.Changed, old, now));
            }
        }

        foreach (var (key, now) in after)
        {
            if (!TryGet(before, key, out _))
            {
                changes.Add(new ConfigurationChange(key, ChangeKind.Added, null, now));
            }
        }

        changes.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Key, b.Key) is var c and not 0 ? c : string.CompareOrdinal(a.Key, b.Key));
        return changes;
    }

    // The dictionaries come from the provider or the JSON provider, both case-insensitive; a plain one is searched.
    private static bool TryGet(IReadOnlyDictionary<string, string?> values, string key, out string? value)
    {
        if (values.TryGetValue(key, out value))
        {
            return true;
        }

        foreach (var (k, v) in values)
        {
            if (string.Equals(k, key, StringComparison.OrdinalIgnoreCase))
            {
                value = v;
                return true;
            }
        }

        return false;
    }
}
