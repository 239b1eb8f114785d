using System.CommandLine;
using EtcdConfiguration.Tool.Cli;
using EtcdConfiguration.Tool.Etcd;
using EtcdConfiguration.Tool.Planning;

namespace EtcdConfiguration.Tool.Commands;

/// <summary><c>diff FILE</c> or <c>diff --from-revision A [--to-revision B]</c>: configuration-key level differences.</summary>
internal static class DiffCommand
{
    public static Command Create(ConnectionOptions common, ToolContext context)
    {
        var file = new Argument<string?>("FILE") { Description = "An appsettings-style JSON file to compare the prefix with.", Arity = ArgumentArity.ZeroOrOne };
        var from = new Option<long>("--from-revision") { Description = "Compare the prefix as it was at this revision...", HelpName = "A" };
        var to = new Option<long>("--to-revision") { Description = "...with this revision (default: now).", HelpName = "B" };
        var command = new Command("diff", CommandRunner.Describe(
            "Show the configuration keys that differ (added, removed, changed: old → new) between the prefix and a file (what importing it would change), or between two revisions. Exit 1 when there is any difference.",
            "etcd-config diff appsettings.json --prefix /myapp/",
            "etcd-config diff --prefix /myapp/ --from-revision 1040 --to-revision 1042"))
        {
            file, from, to,
        };

        CommandRunner.SetAction(command, common, context, async (parse, client, prefix, cancellationToken) =>
        {
            var path = parse.GetValue(file);
            var fromRevision = parse.GetValue(from);
            var toRevision = parse.GetValue(to);
            if ((path is null) == (fromRevision == 0))
            {
                throw new ToolException("Give either FILE or --from-revision to diff against.");
            }

            IReadOnlyDictionary<string, string?> before;
            IReadOnlyDictionary<string, string?> after;
            if (path is not null)
            {
                var settings = SettingsFile.Read(path);
                before = (await PrefixListing.ReadAsync(client, prefix, toRevision, cancellationToken)).View(common.Format(parse)).Values;
                after = settings.Values;
            }
            else
            {
                before = (await PrefixListing.ReadAsync(client, prefix, fromRevision, cancellationToken)).View(common.Format(parse)).Values;
                after = (await PrefixListing.ReadAsync(client, prefix, toRevision, cancellationToken)).View(common.Format(parse)).Values;
            }

            var changes = ConfigurationDiff.Compare(before, after);
            var printer = new ChangePrinter(context);
            if (parse.GetValue(common.Json))
            {
                printer.WriteJson(changes.Select(c => ChangePrinter.ToJson(c)).ToList());
            }
            else
            {
                foreach (var change in changes)
                {
                    printer.Write(change);
                }
            }

            return changes.Count == 0 ? ExitCodes.Success : ExitCodes.Found;
        });
        return command;
    }
}
