using System.CommandLine;
using EtcdConfiguration.Tool.Cli;
using EtcdConfiguration.Tool.Etcd;
using EtcdConfiguration.Tool.Planning;

namespace EtcdConfiguration.Tool.Commands;

/// <summary><c>export</c>: the prefix as one appsettings-style JSON document that AddJsonFile reads as AddEtcd does.</summary>
internal static class ExportCommand
{
    public static Command Create(ConnectionOptions common, ToolContext context)
    {
        var revision = new Option<long>("--revision") { Description = "Export the prefix as it was at this etcd revision (until compaction).", HelpName = "N" };
        var output = new Option<string?>("--output") { Description = "Write to this file instead of standard output.", HelpName = "FILE" };
        var command = new Command("export", CommandRunner.Describe(
            "Export the prefix as one nested appsettings-style JSON document: AddJsonFile of it gives what the provider gives (arrays where the keys are 0..n-1). Overrides and keys the provider would skip are left out.",
            "etcd-config export --prefix /myapp/ --output appsettings.etcd.json",
            "etcd-config export --prefix /myapp/ --revision 1042"))
        {
            revision, output,
        };

        CommandRunner.SetAction(command, common, context, async (parse, client, prefix, cancellationToken) =>
        {
            var listing = await PrefixListing.ReadAsync(client, prefix, parse.GetValue(revision), cancellationToken);
            var view = listing.View(common.Format(parse));
            string document;
            try
            {
                document = JsonTree.From(view.Values).ToJson();
            }
            catch (InvalidOperationException ex)
            {
                throw new ToolException($"Cannot export '{listing.Prefix}' at revision {listing.Revision}: {ex.Message}");
            }

            if (parse.GetValue(output) is { } path)
            {
                await File.WriteAllTextAsync(path, document + Environment.NewLine, cancellationToken);
                await context.Err.WriteLineAsync($"Exported {view.Values.Count} configuration keys of '{listing.Prefix}' at revision {listing.Revision} to {path}.");
            }
            else
            {
                await context.Out.WriteLineAsync(document);
            }

            if (view.Skipped.Count > 0)
            {
                await context.Err.WriteLineAsync($"etcd-config: {view.Skipped.Count} etcd keys the provider would skip are not exported; 'etcd-config check' names them.");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
