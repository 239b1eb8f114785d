namespace EtcdConfiguration.Tool.Planning;

/// <summary>One configuration key that differs between two states.</summary>
internal sealed record ConfigurationChange(string Key, ChangeKind Kind, string? Old, string? New);

/// <summary>How a configuration key differs.</summary>
internal enum ChangeKind
{
    Added,
    Removed,
    Changed,
}
