using System.CommandLine;
using EtcdConfiguration.Tool.Cli;
using EtcdConfiguration.Tool.Etcd;
using EtcdConfiguration.Tool.Planning;

namespace EtcdConfiguration.Tool.Commands;

/// <summary><c>import FILE</c>: an appsettings-style JSON file into the prefix, so that AddEtcd gives what AddJsonFile gives.</summary>
internal static class ImportCommand
{
    public static Command Create(ConnectionOptions common, ToolContext context)
    {
        var file = new Argument<string>("FILE") { Description = "The appsettings-style JSON file." };
        var layout = new Option<ImportLayout>("--layout")
        {
            Description = "Keys: one etcd key per configuration value (default). Document: the whole file in the prefix key, one transaction.",
            DefaultValueFactory = _ => ImportLayout.Keys,
        };
        var prune = new Option<bool>("--prune") { Description = "Delete the keys under the prefix that the file does not have (overrides stay)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would change and write nothing." };
        var atomic = new Option<bool>("--atomic")
        {
            Description = $"Write in one transaction: when the keys layout needs more than one ({GuardedWriter.MaxOperationsPerTransaction} operations each), use the document layout.",
        };
        var command = new Command("import", CommandRunner.Describe(
            "Import an appsettings-style JSON file into the prefix: afterwards AddEtcd gives exactly what AddJsonFile gives for the file. Writes are guarded by the revision read: a concurrent writer makes the import fail (exit 2) instead of being overwritten.",
            "etcd-config import appsettings.json --prefix /myapp/ --prune --dry-run",
            "etcd-config import appsettings.json --prefix /myapp/ --layout document"))
        {
            file, layout, prune, dryRun, atomic,
        };

        CommandRunner.SetAction(command, common, context, async (parse, client, prefix, cancellationToken) =>
        {
            var settings = SettingsFile.Read(parse.GetRequiredValue(file));
            var current = await PrefixListing.ReadAsync(client, prefix, 0, cancellationToken);
            var chosen = parse.GetValue(layout);
            var plan = ImportPlanner.Plan(settings, current, chosen, parse.GetValue(prune), common.Format(parse));
            if (parse.GetValue(atomic) && plan.Write.TransactionCount > 1)
            {
                await context.Err.WriteLineAsync($"etcd-config: the keys layout needs {plan.Write.TransactionCount} transactions; --atomic writes the document layout instead.");
                chosen = ImportLayout.Document;
                plan = ImportPlanner.Plan(settings, current, chosen, parse.GetValue(prune), common.Format(parse));
            }

            var printer = new ChangePrinter(context);
            var changes = ConfigurationDiff.Compare(current.View(common.Format(parse)).Values, plan.After.Values);
            var json = parse.GetValue(common.Json);
            if (parse.GetValue(dryRun))
            {
                Report(context, printer, json, current.Prefix, settings.Path, plan, changes, current.Revision, dryRun: true);
                return ExitCodes.Success;
            }

            if (context.BeforeWrite is { } hook)
            {
                await hook();
            }

            var revision = await GuardedWriter.ApplyAsync(client, current.Prefix, plan.Write, cancellationToken);
            Report(context, printer, json, current.Prefix, settings.Path, plan, changes, revision, dryRun: false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Report(ToolContext context, ChangePrinter printer, bool json, string prefix, string path, ImportPlan plan, List<ConfigurationChange> changes, long revision, bool dryRun)
    {
        var transactions = plan.Write.TransactionCount;
        if (json)
        {
            printer.WriteJson(new Dictionary<string, object?>
            {
                ["prefix"] = prefix,
                ["file"] = path,
                ["dryRun"] = dryRun,
                ["revision"] = revision,
                ["written"] = plan.Written,
                ["deleted"] = plan.Deleted,
                ["unchanged"] = plan.Unchanged,
                ["transactions"] = transactions,
                ["changes"] = changes.Select(c => ChangePrinter.ToJson(c)).ToList(),
            });
            return;
        }

        foreach (var change in changes)
        {
            printer.Write(change);
        }

        var verb = dryRun ? "would write" : "wrote";
        var where = dryRun ? $"(read at revision {revision})" : $"(now at revision {revision})";
        var txns = transactions == 1 ? "1 transaction" : $"{transactions} transactions";
        context.Out.WriteLine($"{path} → {prefix}: {verb} {plan.Written} etcd keys and {(dryRun ? "delete" : "deleted")} {plan.Deleted} ({plan.Unchanged} unchanged) in {txns} {where}; {changes.Count} configuration keys change.");
        if (transactions > 1 && !dryRun)
        {
            context.Out.WriteLine($"etcd allows {GuardedWriter.MaxOperationsPerTransaction + 1} operations per transaction, so the app may have seen the import in {transactions} steps; use --atomic (the document layout) for one.");
        }
    }
}
