using System.CommandLine;
using EtcdConfiguration.Client;
using EtcdConfiguration.Mapping;
using EtcdConfiguration.Tool.Cli;
using EtcdConfiguration.Tool.Etcd;
using EtcdConfiguration.Tool.Planning;

namespace EtcdConfiguration.Tool.Commands;

/// <summary><c>rollback --to-revision N</c>: makes the prefix hold exactly what it held at revision N.</summary>
internal static class RollbackCommand
{
    public static Command Create(ConnectionOptions common, ToolContext context)
    {
        var to = new Option<long>("--to-revision") { Description = "The revision to go back to (still in etcd's history).", HelpName = "N", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would change and write nothing." };
        var command = new Command("rollback", CommandRunner.Describe(
            "Make the prefix hold exactly what it held at revision N: keys removed since then restored, changed ones put back, added ones deleted. Guarded by the revision read, so a concurrent write aborts it (exit 2); a compacted revision is refused. Temporary overrides are left alone (they expire by themselves).",
            "etcd-config rollback --prefix /myapp/ --to-revision 1040 --dry-run"))
        {
            to, dryRun,
        };

        CommandRunner.SetAction(command, common, context, async (parse, client, prefix, cancellationToken) =>
        {
            var revision = parse.GetValue(to);
            if (revision <= 0)
            {
                throw new ToolException("--to-revision must be a positive etcd revision.");
            }

            var current = await PrefixListing.ReadAsync(client, prefix, 0, cancellationToken);
            if (revision > current.Revision)
            {
                throw new ToolException($"Revision {revision} of '{current.Prefix}' does not exist yet: etcd is at revision {current.Revision}.");
            }

            var target = await PrefixListing.ReadAsync(client, prefix, revision, cancellationToken);
            var plan = Plan(current, target);
            var changes = ConfigurationDiff.Compare(current.View(common.Format(parse)).Values, target.View(common.Format(parse)).Values);
            var printer = new ChangePrinter(context);
            var json = parse.GetValue(common.Json);
            long now = current.Revision;
            if (!parse.GetValue(dryRun))
            {
                if (context.BeforeWrite is { } hook)
                {
                    await hook();
                }

                now = await GuardedWriter.ApplyAsync(client, current.Prefix, plan, cancellationToken);
            }

            if (json)
            {
                printer.WriteJson(new Dictionary<string, object?>
                {
                    ["prefix"] = current.Prefix,
                    ["toRevision"] = revision,
                    ["dryRun"] = parse.GetValue(dryRun),
                    ["revision"] = now,
                    ["written"] = plan.Writes.Count(w => !w.IsDelete),
                    ["deleted"] = plan.Writes.Count(w => w.IsDelete),
                    ["transactions"] = plan.TransactionCount,
                    ["changes"] = changes.Select(c => ChangePrinter.ToJson(c)).ToList(),
                });
            }
            else
            {
                foreach (var change in changes)
                {
                    printer.Write(change);
                }

                var verb = parse.GetValue(dryRun) ? "would put" : "put";
                await context.Out.WriteLineAsync(
                    $"Rollback of '{current.Prefix}' to revision {revision}: {verb} {plan.Writes.Count(w => !w.IsDelete)} etcd keys and delete {plan.Writes.Count(w => w.IsDelete)} in {plan.TransactionCount} transaction{(plan.TransactionCount == 1 ? string.Empty : "s")} (revision {now}); {changes.Count} configuration keys change.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    // Ordinary keys only: overrides are temporary by design and expire by themselves.
    private static WritePlan Plan(PrefixListing current, PrefixListing target)
    {
        var mapper = new KeyMapper(current.Prefix);
        var now = Ordinary(mapper, current);
        var then = Ordinary(mapper, target);
        var writes = new List<PlannedWrite>();
        foreach (var (key, kv) in then.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            if (!now.TryGetValue(key, out var held) || !held.ValueBytes.Span.SequenceEqual(kv.ValueBytes.Span))
            {
                writes.Add(new PlannedWrite(kv.KeyBytes, kv.ValueBytes, held?.ModRevision ?? 0));
            }
        }

        foreach (var (key, kv) in now.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            if (!then.ContainsKey(key))
            {
                writes.Add(new PlannedWrite(kv.KeyBytes, null, kv.ModRevision));
            }
        }

        return new WritePlan(current.Revision, writes, []);
    }

    private static Dictionary<string, KeyValue> Ordinary(KeyMapper mapper, PrefixListing listing)
    {
        var keys = new Dictionary<string, KeyValue>(StringComparer.Ordinal);
        foreach (var kv in listing.KeyValues)
        {
            if (!mapper.IsOverride(kv.KeyBytes.Span))
            {
                keys[KeyMapper.Describe(kv.KeyBytes.Span)] = kv;
            }
        }

        return keys;
    }
}
