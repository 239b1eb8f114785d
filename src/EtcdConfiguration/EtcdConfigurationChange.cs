namespace EtcdConfiguration;

/// <summary>One configuration key that a batch from etcd changed, as readers see it.</summary>
/// <remarks>
/// <see cref="ToString"/> names the key only: values may be secrets, so they never reach a log by accident.
/// </remarks>
public sealed class EtcdConfigurationChange
{
    /// <summary>Creates a change.</summary>
    /// <param name="key">The configuration key, such as <c>Doc:Y</c> for a key inside a JSON value.</param>
    /// <param name="oldValue">The value before the batch; <see langword="null"/> when the key was added.</param>
    /// <param name="newValue">The value after the batch; <see langword="null"/> when the key was removed.</param>
    public EtcdConfigurationChange(string key, string? oldValue, string? newValue)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
        OldValue = oldValue;
        NewValue = newValue;
    }

    /// <summary>The configuration key (sections joined with <c>:</c>), spelled as readers see it now.</summary>
    public string Key { get; }

    /// <summary>The value readers saw before; <see langword="null"/> when the key was added.</summary>
    public string? OldValue { get; }

    /// <summary>The value readers see now; <see langword="null"/> when the key was removed.</summary>
    public string? NewValue { get; }

    /// <summary>The key only, never a value.</summary>
    public override string ToString() => Key;
}
