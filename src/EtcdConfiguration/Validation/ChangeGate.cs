using EtcdConfiguration.Mapping;
using EtcdConfiguration.Store;

namespace EtcdConfiguration.Validation;

/// <summary>
/// The validation gate of one provider: before a batch reaches the store, every gated options type whose
/// configuration the batch touches is bound from the candidate data and validated. The etcd keys under the
/// sections of a type that fails are held back whole (they keep their last valid values); the rest is applied.
/// Held-back changes wait here and go in with the first later state that validates.
/// </summary>
/// <remarks>
/// Called only under the applier's lock, so one batch at a time. A batch that touches no gated type's
/// configuration costs one lookup per changed key and binds nothing.
/// </remarks>
internal sealed class ChangeGate
{
    private readonly object _owner;
    private readonly ConfigurationStore _store;
    private readonly IServiceProvider _services;
    private readonly List<(GatedOptions Options, Footprint Footprint)> _gated = [];
    private readonly Dictionary<string, EtcdKeyChange> _pending = new(StringComparer.Ordinal);
    private bool _rejecting;

    /// <summary>Creates the gate and learns what each type reads by binding it from the current data.</summary>
    /// <param name="owner">The provider whose reads the candidate views answer.</param>
    /// <param name="store">The provider's data.</param>
    /// <param name="services">The app's services, to build options with.</param>
    /// <param name="gated">The gated options types and names.</param>
    public ChangeGate(object owner, ConfigurationStore store, IServiceProvider services, IEnumerable<GatedOptions> gated)
    {
        _owner = owner;
        _store = store;
        _services = services;
        var empty = new CandidateView(owner, store, []);
        foreach (var options in gated)
        {
            var footprint = new Footprint();
            using (empty.Activate(footprint))
            {
                // Only the footprint matters here: data that was already invalid is the app's start-up concern.
                options.Check(services);
            }

            _gated.Add((options, footprint));
        }
    }

    /// <summary>
    /// Decides which of a batch's changes may be applied now. <paramref name="replacesAll"/>: the changes are the
    /// difference to a re-read snapshot, which supersedes whatever was held back.
    /// </summary>
    public (IReadOnlyList<EtcdKeyChange> Admitted, GateVerdict Verdict) Admit(IReadOnlyList<EtcdKeyChange> changes, long revision, bool replacesAll)
    {
        if (replacesAll)
        {
            _pending.Clear();
        }

        var touched = TouchedKeys(changes);
        var affected = _gated.Where(g => touched.Any(g.Footprint.Covers)).ToList();
        if (affected.Count == 0)
        {
            return (changes, Settle(revision, []));
        }

        var combined = new List<EtcdKeyChange>(_pending.Values);
        combined.AddRange(changes);
        var held = new HashSet<string>(StringComparer.Ordinal);

        // Every type that failed on the way counts: the last round, without the held-back changes, usually passes.
        var failures = new List<OptionsFailure>();
        while (true)
        {
            var view = new CandidateView(_owner, _store, combined.Where(c => !held.Contains(c.EtcdKey)));
            var failing = new List<Footprint>();
            foreach (var (options, footprint) in affected)
            {
                // Re-learnt on every check: what a type reads can grow with the data (a new list item, a new section).
                var read = new Footprint();
                IReadOnlyList<string> messages;
                using (view.Activate(read))
                {
                    messages = options.Check(_services);
                }

                footprint.Absorb(read);
                if (messages.Count > 0 && !failures.Any(f => f.Options == options.DisplayName))
                {
                    failures.Add(new OptionsFailure(options.DisplayName, [.. footprint.Roots()], messages));
                }

                if (messages.Count > 0)
                {
                    failing.Add(footprint);
                }
            }

            // Hold back every change that touches a failing type's configuration, then check again without them.
            int before = held.Count;
            foreach (var change in combined)
            {
                if (!held.Contains(change.EtcdKey) && TouchedKeys([change]).Any(k => failing.Any(f => f.Covers(k))))
                {
                    held.Add(change.EtcdKey);
                }
            }

            if (failing.Count == 0 || held.Count == before)
            {
                break;
            }
        }

        _pending.Clear();
        var admitted = new List<EtcdKeyChange>(combined.Count);
        foreach (var change in combined)
        {
            if (held.Contains(change.EtcdKey))
            {
                _pending[change.EtcdKey] = change;
            }
            else
            {
                admitted.Add(change);
            }
        }

        return (admitted, Settle(revision, failures));
    }

    // The verdict: what is pending now decides whether the gate is holding anything back.
    private GateVerdict Settle(long revision, List<OptionsFailure> failures)
    {
        bool was = _rejecting;
        _rejecting = _pending.Count > 0;
        return !_rejecting ? (was ? new GateVerdict(GateOutcome.Cleared, revision, []) : GateVerdict.None)
            : failures.Count > 0 ? new GateVerdict(GateOutcome.Rejected, revision, failures)
            : new GateVerdict(GateOutcome.StillRejected, revision, []);
    }

    // Every configuration key the changes could alter: what each etcd key gives now and what it would give.
    private HashSet<string> TouchedKeys(IEnumerable<EtcdKeyChange> changes)
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var change in changes)
        {
            if (change.KeepsCurrent)
            {
                continue;
            }

            keys.UnionWith(_store.ContributedKeys(change.EtcdKey));
            foreach (var pair in change.Contribution ?? [])
            {
                keys.Add(pair.Key);
            }
        }

        return keys;
    }
}
