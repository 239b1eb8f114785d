namespace EtcdConfiguration.Store;

/// <summary>What applying a batch did to the configuration a reader sees.</summary>
internal sealed class ApplyResult
{
    /// <summary>A batch that changed nothing and found no conflict.</summary>
    public static readonly ApplyResult Unchanged = new(false, []);

    /// <summary>Creates a result.</summary>
    public ApplyResult(bool changed, IReadOnlyList<KeyConflict> conflicts)
    {
        Changed = changed;
        Conflicts = conflicts;
    }

    /// <summary>
    /// Whether any configuration key appeared, disappeared, changed value or changed spelling. A batch that
    /// rewrites the same values, or only changes a hidden conflict loser, leaves this false: no reload to signal.
    /// </summary>
    public bool Changed { get; }

    /// <summary>Conflicts that this batch created or took part in, one per pair of etcd keys.</summary>
    public IReadOnlyList<KeyConflict> Conflicts { get; }
}
