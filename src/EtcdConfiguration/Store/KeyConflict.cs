namespace EtcdConfiguration.Store;

/// <summary>
/// Two etcd keys give the same configuration key(s). The winner is the key with more path segments (a key
/// naming the setting beats a JSON blob above it); between equals, the ordinally greater etcd key wins, like the
/// last entry of a sorted listing or a later provider overriding an earlier one.
/// </summary>
/// <param name="ConfigurationKey">The first configuration key found in conflict between the two.</param>
/// <param name="WinningEtcdKey">The etcd key whose value is used.</param>
/// <param name="LosingEtcdKey">The etcd key whose value is hidden until the winner goes away.</param>
/// <param name="KeyCount">How many configuration keys these two etcd keys dispute.</param>
/// <param name="WonBySegments">Whether the winner won by having more segments rather than by key order.</param>
internal sealed record KeyConflict(
    string ConfigurationKey,
    string WinningEtcdKey,
    string LosingEtcdKey,
    int KeyCount,
    bool WonBySegments)
{
    /// <summary>A sentence for the log, naming the keys but no value.</summary>
    public string Message =>
        $"The etcd keys '{WinningEtcdKey}' and '{LosingEtcdKey}' both give the configuration key '{ConfigurationKey}'"
        + (KeyCount > 1 ? $" (and {KeyCount - 1} more)" : string.Empty)
        + $"; '{WinningEtcdKey}' is used because "
        + (WonBySegments ? "it has more path segments." : "it sorts after the other in ordinal order.");
}
