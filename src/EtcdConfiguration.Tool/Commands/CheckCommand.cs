using System.CommandLine;
using EtcdConfiguration.Tool.Cli;
using EtcdConfiguration.Tool.Etcd;

namespace EtcdConfiguration.Tool.Commands;

/// <summary><c>check</c>: what the provider would skip or resolve by a conflict rule.</summary>
internal static class CheckCommand
{
    public static Command Create(ConnectionOptions common, ToolContext context)
    {
        var command = new Command("check", CommandRunner.Describe(
            "List the etcd keys the provider would skip (bad JSON, invalid UTF-8, too deep) or resolve by a conflict rule, naming the keys but never the values. Exit 1 when there is any.",
            "etcd-config check --prefix /myapp/"));

        CommandRunner.SetAction(command, common, context, async (parse, client, prefix, cancellationToken) =>
        {
            var listing = await PrefixListing.ReadAsync(client, prefix, 0, cancellationToken);
            var view = listing.View(common.Format(parse));
            if (parse.GetValue(common.Json))
            {
                new ChangePrinter(context).WriteJson(new
                {
                    prefix = listing.Prefix,
                    revision = listing.Revision,
                    keys = view.Values.Count,
                    overrides = view.Overrides.Count,
                    skipped = view.Skipped.Select(s => new { etcdKey = s.EtcdKey, reason = s.Reason, @override = s.IsOverride }),
                    conflicts = view.Conflicts.Select(c => new { configurationKey = c.ConfigurationKey, winner = c.WinningEtcdKey, loser = c.LosingEtcdKey, keyCount = c.KeyCount, message = c.Message }),
                });
            }
            else
            {
                foreach (var skipped in view.Skipped)
                {
                    await context.Out.WriteLineAsync($"skipped {(skipped.IsOverride ? "override " : string.Empty)}{skipped.EtcdKey}: {skipped.Reason}");
                }

                foreach (var conflict in view.Conflicts)
                {
                    await context.Out.WriteLineAsync($"conflict: {conflict.Message}");
                }

                await context.Out.WriteLineAsync(
                    $"'{listing.Prefix}' at revision {listing.Revision}: {view.Values.Count} configuration keys, {view.Overrides.Count} overridden, {view.Skipped.Count} skipped, {view.Conflicts.Count} conflicts.");
            }

            return view.Skipped.Count + view.Conflicts.Count == 0 ? ExitCodes.Success : ExitCodes.Found;
        });
        return command;
    }
}
