using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Mapping;

/// <summary>
/// The reverse direction, configuration key to etcd key, and the reserved place of temporary overrides. A
/// configuration key <c>A:B:C</c> is the etcd key <c>{prefix}A/B/C</c>; its override is
/// <c>{prefix}.overrides/A/B/C</c>. Only keys that map back to themselves have an etcd key of their own: no empty
/// segment (<c>A::B</c>), no <c>/</c> inside a segment, and not under the reserved first segment <c>.overrides</c>.
/// </summary>
internal sealed partial class KeyMapper
{
    /// <summary>The etcd key prefix of the overrides: <c>{prefix}.overrides/</c>.</summary>
    public string OverridesPrefix => Prefix + OverridesSegment + "/";

    /// <summary>Whether an etcd key is a temporary override (see <see cref="TryMap"/>), so never an ordinary configuration key.</summary>
    public bool IsOverride(ReadOnlySpan<byte> etcdKey) =>
        etcdKey.StartsWith(_prefixBytes) && IsOverridesPath(etcdKey[_prefixBytes.Length..]);

    /// <summary>
    /// Whether <paramref name="configurationKey"/> can be stored at an etcd key of its own that maps back to it:
    /// every segment non-empty and free of <c>/</c>, and the first one not the reserved <see cref="OverridesSegment"/>.
    /// </summary>
    public static bool HasOwnEtcdKey(string configurationKey) => TryGetRelativeEtcdPath(configurationKey, out _);

    /// <summary>The etcd key of an ordinary configuration key: <c>Checkout:MaxItems</c> is <c>{prefix}Checkout/MaxItems</c>.</summary>
    /// <exception cref="ArgumentException">The key has no etcd key of its own (see <see cref="HasOwnEtcdKey"/>).</exception>
    public string ToEtcdKey(string configurationKey) => Prefix + RelativePath(configurationKey);

    /// <summary>The etcd key of the temporary override of a configuration key: <c>{prefix}.overrides/Checkout/MaxItems</c>.</summary>
    /// <exception cref="ArgumentException">The key has no etcd key of its own (see <see cref="HasOwnEtcdKey"/>).</exception>
    public string ToOverrideKey(string configurationKey) => OverridesPrefix + RelativePath(configurationKey);

    /// <summary>The segments of a configuration key that can be etcd path segments, or false naming nothing.</summary>
    public static bool TryGetRelativeEtcdPath(string configurationKey, [NotNullWhen(true)] out string? relativePath)
    {
        ArgumentNullException.ThrowIfNull(configurationKey);
        relativePath = null;
        var segments = configurationKey.Split(ConfigurationPath.KeyDelimiter[0]);
        if (segments[0] == OverridesSegment)
        {
            return false;
        }

        foreach (var segment in segments)
        {
            if (segment.Length == 0 || segment.Contains('/', StringComparison.Ordinal))
            {
                return false;
            }
        }

        relativePath = string.Join('/', segments);
        return true;
    }

    private static string RelativePath(string configurationKey) =>
        TryGetRelativeEtcdPath(configurationKey, out var path)
            ? path
            : throw new ArgumentException(
                $"The configuration key '{configurationKey}' has no etcd key of its own: it is empty, has an empty section, "
                + $"a '/' inside a section, or starts with the reserved section '{OverridesSegment}'.",
                nameof(configurationKey));
}
