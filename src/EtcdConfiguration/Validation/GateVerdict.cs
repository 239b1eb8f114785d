namespace EtcdConfiguration.Validation;

/// <summary>What the validation gate did with one batch, for status, metrics and the log.</summary>
/// <param name="Outcome">Whether something is held back now, or a hold-back ended.</param>
/// <param name="Revision">The etcd revision of the batch.</param>
/// <param name="Failures">For a hold-back, each failing options type with its validators' messages.</param>
internal readonly record struct GateVerdict(GateOutcome Outcome, long Revision, IReadOnlyList<OptionsFailure> Failures)
{
    /// <summary>Nothing held back before or now.</summary>
    public static readonly GateVerdict None = new(GateOutcome.None, 0, []);
}

/// <summary>What changed in the gate's hold-back.</summary>
internal enum GateOutcome
{
    /// <summary>Nothing is held back, and nothing was.</summary>
    None,

    /// <summary>Some keys are held back (again) because an options type would not validate.</summary>
    Rejected,

    /// <summary>Keys were held back before; now the whole state validates and is applied.</summary>
    Cleared,

    /// <summary>Keys are still held back; this batch did not touch them.</summary>
    StillRejected,
}

/// <summary>One options type that would not validate, the sections it reads, and its validators' messages.</summary>
internal sealed record OptionsFailure(string Options, IReadOnlyList<string> Sections, IReadOnlyList<string> Messages)
{
    /// <summary>One line for the status and the health check: type, sections, messages, never a value.</summary>
    public override string ToString() =>
        $"{Options} (from {string.Join(", ", Sections.Select(s => $"'{s}'"))}): {string.Join(" ", Messages)}";
}
