using System.CommandLine;
using EtcdConfiguration.Client;
using EtcdConfiguration.Mapping;
using EtcdConfiguration.Tool.Cli;
using EtcdConfiguration.Tool.Etcd;
using EtcdConfiguration.Tool.Planning;

namespace EtcdConfiguration.Tool.Commands;

/// <summary><c>watch</c>: follows the prefix live and prints each change as the provider sees it.</summary>
internal static class WatchCommand
{
    public static Command Create(ConnectionOptions common, ToolContext context)
    {
        var count = new Option<int>("--count") { Description = "Stop after this many configuration changes (default: run until Ctrl+C).", HelpName = "N" };
        var command = new Command("watch", CommandRunner.Describe(
            "Follow the prefix live and print each change as the provider sees it: revision, configuration key, old → new. Temporary overrides are shown labelled 'override'.",
            "etcd-config watch --prefix /myapp/"))
        {
            count,
        };

        CommandRunner.SetAction(command, common, context, async (parse, client, prefix, cancellationToken) =>
        {
            var limit = parse.GetValue(count);
            var json = parse.GetValue(common.Json);
            var listing = await PrefixListing.ReadAsync(client, prefix, 0, cancellationToken);
            var state = new PrefixState(prefix, listing.KeyValues, common.Format(parse));
            var printer = new ChangePrinter(context);
            var mapper = new KeyMapper(prefix);
            await context.Err.WriteLineAsync($"Watching '{state.Prefix}' from revision {listing.Revision + 1} (Ctrl+C to stop).");
            int printed = 0;
            try
            {
                var options = new WatchOptions { RangeEndBytes = mapper.RangeEnd, StartRevision = listing.Revision + 1 };
                await foreach (var response in client.Watch.WatchAsync(mapper.PrefixBytes, options, cancellationToken))
                {
                    foreach (var group in response.Events.GroupBy(e => e.Kv.ModRevision))
                    {
                        foreach (var change in group)
                        {
                            state.Apply(change);
                        }

                        var before = state.Remap();
                        foreach (var (change, isOverride) in Changes(before, state.View))
                        {
                            Print(printer, json, group.Key, change, isOverride);
                            if (++printed == limit)
                            {
                                return ExitCodes.Success;
                            }
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C is how a watch ends.
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The ordinary changes, then the overrides' changes, between two views.</summary>
    public static IEnumerable<(ConfigurationChange Change, bool IsOverride)> Changes(ConfigurationView before, ConfigurationView after) =>
        ConfigurationDiff.Compare(before.Values, after.Values).Select(c => (c, false))
            .Concat(ConfigurationDiff.Compare(before.Overrides, after.Overrides).Select(c => (c, true)));

    public static void Print(ChangePrinter printer, bool json, long revision, ConfigurationChange change, bool isOverride)
    {
        if (json)
        {
            printer.WriteJson(ChangePrinter.ToJson(change, ("revision", revision), ("override", isOverride)));
        }
        else
        {
            printer.Write(change, $"rev {revision}" + (isOverride ? " override" : string.Empty));
        }
    }
}
