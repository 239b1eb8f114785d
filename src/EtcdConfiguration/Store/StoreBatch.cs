namespace EtcdConfiguration.Store;

/// <summary>
/// The bookkeeping of one batch applied to a <see cref="ConfigurationStore"/>: what readers saw under every
/// configuration key before the batch first touched it, and the contributors it wrote. Compared with the state
/// after the batch, it says whether the data changed, whether the set of keys changed, and which conflicts the
/// batch took part in. The first load into an empty store keeps none (it would cost more than the data).
/// </summary>
internal sealed class StoreBatch
{
    private readonly Dictionary<string, SlotImage> _before = new(StringComparer.OrdinalIgnoreCase);

    public HashSet<Contributor> Written { get; } = [];

    /// <summary>Records what readers see under <paramref name="key"/> now, unless the batch touched it already.</summary>
    public void Touch(string key, Dictionary<string, Slot>.AlternateLookup<ReadOnlySpan<char>> slots)
    {
        if (!_before.ContainsKey(key))
        {
            _before.Add(
                key,
                slots.TryGetValue(key, out string? slotKey, out var slot)
                    ? new SlotImage(true, slotKey, slot.Value)
                    : new SlotImage(false, null, null));
        }
    }

    /// <summary>Whether the batch added, removed or respelled a configuration key (a change of values only does not).</summary>
    public bool ChangesKeySet(Dictionary<string, Slot>.AlternateLookup<ReadOnlySpan<char>> slots)
    {
        foreach (var (key, before) in _before)
        {
            bool exists = slots.TryGetValue(key, out string? slotKey, out _);
            if (exists != before.Exists || (exists && !string.Equals(slotKey, before.Key, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether readers see different data than before, what changed under each configuration key the batch touched
    /// (the change list costs only the keys touched, never the keys loaded), and the conflicts of the keys it wrote.
    /// </summary>
    public ApplyResult Summarise(Dictionary<string, Slot>.AlternateLookup<ReadOnlySpan<char>> slots)
    {
        List<EtcdConfigurationChange>? changes = null;
        Dictionary<(string Winner, string Loser), KeyConflict>? conflicts = null;
        foreach (var (key, before) in _before)
        {
            bool exists = slots.TryGetValue(key, out string? slotKey, out var slot);
            if (exists != before.Exists
                || (exists
                    && (!string.Equals(slotKey, before.Key, StringComparison.Ordinal)
                        || !string.Equals(slot.Value, before.Value, StringComparison.Ordinal))))
            {
                (changes ??= []).Add(new EtcdConfigurationChange(exists ? slotKey! : before.Key!, before.Value, exists ? slot.Value : null));
            }

            if (exists && slot.Owner is ContenderSet set && set.Members.Any(c => Written.Contains(c.Source)))
            {
                set.AddConflicts(slotKey!, ref conflicts);
            }
        }

        if (changes is null && conflicts is null)
        {
            return ApplyResult.Unchanged;
        }

        changes?.Sort(static (a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Key, b.Key));
        return new ApplyResult(changes is not null, conflicts is null ? [] : [.. conflicts.Values], changes ?? []);
    }

    // What the readers saw under a configuration key before the batch first touched it.
    private readonly record struct SlotImage(bool Exists, string? Key, string? Value);
}
