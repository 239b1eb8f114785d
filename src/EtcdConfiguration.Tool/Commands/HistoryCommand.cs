using System.CommandLine;
using EtcdConfiguration.Client;
using EtcdConfiguration.Mapping;
using EtcdConfiguration.Tool.Cli;
using EtcdConfiguration.Tool.Etcd;
using EtcdConfiguration.Tool.Planning;
using Microsoft.Extensions.Configuration;

namespace EtcdConfiguration.Tool.Commands;

/// <summary>
/// <c>history [KEY]</c>: every revision of a configuration key (or of the whole prefix) still in etcd's history,
/// found by replaying the prefix's events from the oldest revision etcd keeps.
/// </summary>
internal static class HistoryCommand
{
    // How often to ask etcd whether the replay has caught up, once it reproduces the present state.
    private static readonly TimeSpan s_progressInterval = TimeSpan.FromMilliseconds(100);

    public static Command Create(ConnectionOptions common, ToolContext context)
    {
        var key = new Argument<string?>("KEY") { Description = "A configuration key, such as Checkout:MaxItems; its section's keys are included. Default: the whole prefix.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("history", CommandRunner.Describe(
            "Show every revision of a configuration key (or of the whole prefix) still in etcd's history, with its value, and where history ends because of compaction. Overrides are labelled 'override'.",
            "etcd-config history Checkout:MaxItems --prefix /myapp/"))
        {
            key,
        };

        CommandRunner.SetAction(command, common, context, async (parse, client, prefix, cancellationToken) =>
        {
            var filter = parse.GetValue(key);
            var json = parse.GetValue(common.Json);
            var present = await PrefixListing.ReadAsync(client, prefix, 0, cancellationToken);
            var entries = new List<(long Revision, ConfigurationChange Change, bool IsOverride)>();
            var (start, compacted) = await ReplayAsync(client, present, common.Format(parse), (revision, change, isOverride) =>
            {
                if (filter is null
                    || string.Equals(change.Key, filter, StringComparison.OrdinalIgnoreCase)
                    || change.Key.StartsWith(filter + ConfigurationPath.KeyDelimiter, StringComparison.OrdinalIgnoreCase))
                {
                    entries.Add((revision, change, isOverride));
                }
            }, cancellationToken);

            var printer = new ChangePrinter(context);
            var end = compacted
                ? $"etcd compacted its history before revision {start}: nothing earlier can be shown"
                : "nothing has been compacted";
            if (json)
            {
                printer.WriteJson(new Dictionary<string, object?>
                {
                    ["prefix"] = present.Prefix,
                    ["key"] = filter,
                    ["from"] = start,
                    ["to"] = present.Revision,
                    ["compacted"] = compacted,
                    ["entries"] = entries.Select(e => ChangePrinter.ToJson(e.Change, ("revision", e.Revision), ("override", e.IsOverride))).ToList(),
                });
            }
            else
            {
                await context.Out.WriteLineAsync($"History of {(filter is null ? $"'{present.Prefix}'" : $"'{filter}' under '{present.Prefix}'")} from revision {start} to {present.Revision} ({end}).");
                foreach (var (revision, change, isOverride) in entries)
                {
                    WatchCommand.Print(printer, json: false, revision, change, isOverride);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Replays the prefix's history up to <paramref name="present"/>; the state at the oldest revision kept is
    /// reported as additions at that revision. Returns that revision and whether compaction set it.
    /// </summary>
    private static async Task<(long Start, bool Compacted)> ReplayAsync(
        EtcdClient client,
        PrefixListing present,
        EtcdValueFormat format,
        Action<long, ConfigurationChange, bool> onChange,
        CancellationToken cancellationToken)
    {
        var mapper = new KeyMapper(present.Prefix);
        long start = 1;
        long oldestKept = 1;
        bool compacted = false;
        var state = new PrefixState(present.Prefix, [], format);
        while (true)
        {
            using var replay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var asking = AskForProgressAsync(client, replay.Token);
            try
            {
                var options = new WatchOptions { RangeEndBytes = mapper.RangeEnd, StartRevision = start };
                await foreach (var response in client.Watch.WatchAsync(mapper.PrefixBytes, options, replay.Token))
                {
                    long last = 0;
                    foreach (var group in response.Events.GroupBy(e => e.Kv.ModRevision))
                    {
                        foreach (var change in group)
                        {
                            state.Apply(change);
                        }

                        var before = state.Remap();
                        foreach (var (change, isOverride) in WatchCommand.Changes(before, state.View))
                        {
                            onChange(group.Key, change, isOverride);
                        }

                        last = group.Key;
                    }

                    // Done when the replay reached the present revision, or reproduces the present state and etcd
                    // reports progress at or past the present revision.
                    if (last >= present.Revision
                        || (response.IsProgressNotify && response.Header.Revision >= present.Revision && state.Matches(present)))
                    {
                        return (oldestKept, compacted);
                    }
                }

                throw new ToolException($"The watch of '{present.Prefix}' ended before its history was read.");
            }
            catch (EtcdCompactedException ex) when (!compacted && ex.CompactRevision > 0)
            {
                // History before the compaction is gone: start from the state at the compaction revision.
                oldestKept = ex.CompactRevision;
                compacted = true;
                var oldest = await PrefixListing.ReadAsync(client, present.Prefix, oldestKept, cancellationToken);
                state = new PrefixState(present.Prefix, oldest.KeyValues, format);
                foreach (var (change, isOverride) in WatchCommand.Changes(new PrefixState(present.Prefix, [], format).View, state.View))
                {
                    onChange(oldestKept, change, isOverride);
                }

                start = oldestKept + 1;
            }
            finally
            {
                await replay.CancelAsync();
                await asking;
            }

        }
    }

    private static async Task AskForProgressAsync(EtcdClient client, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(s_progressInterval, cancellationToken);
                await client.Watch.RequestProgressAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The replay is over.
        }
    }
}
