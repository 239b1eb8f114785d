namespace EtcdConfiguration.Store;

/// <summary>What applying a batch did to the configuration a reader sees.</summary>
internal sealed class ApplyResult
{
    /// <summary>A batch that changed nothing and found no conflict.</summary>
    public static readonly ApplyResult Unchanged = new(false, [], []);

    /// <summary>Creates a result; <paramref name="changes"/> is <see langword="null"/> when they were not listed.</summary>
    public ApplyResult(bool changed, IReadOnlyList<KeyConflict> conflicts, IReadOnlyList<EtcdConfigurationChange>? changes = null)
    {
        Changed = changed;
        Conflicts = conflicts;
        Changes = changes;
    }

    /// <summary>
    /// Whether any configuration key appeared, disappeared, changed value or changed spelling. A batch that
    /// rewrites the same values, or only changes a hidden conflict loser, leaves this false: no reload to signal.
    /// </summary>
    public bool Changed { get; }

    /// <summary>Conflicts that this batch created or took part in, one per pair of etcd keys.</summary>
    public IReadOnlyList<KeyConflict> Conflicts { get; }

    /// <summary>
    /// The configuration keys readers see differently, from the batch's before-images, in key order; one entry per
    /// key whenever <see cref="Changed"/>. <see langword="null"/> after the first load into an empty store, which
    /// keeps no before-images: everything it holds was added.
    /// </summary>
    public IReadOnlyList<EtcdConfigurationChange>? Changes { get; }
}
