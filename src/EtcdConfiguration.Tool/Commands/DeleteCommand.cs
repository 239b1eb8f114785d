using System.CommandLine;
using EtcdConfiguration.Tool.Cli;
using EtcdConfiguration.Tool.Etcd;

namespace EtcdConfiguration.Tool.Commands;

/// <summary><c>delete KEY [--override]</c>: one configuration key's etcd key, or its temporary override.</summary>
internal static class DeleteCommand
{
    public static Command Create(ConnectionOptions common, ToolContext context)
    {
        var key = new Argument<string>("KEY") { Description = "The configuration key, such as Checkout:MaxItems." };
        var overrideOnly = new Option<bool>("--override") { Description = "Remove the key's temporary override (before it expires) instead of the key." };
        var command = new Command("delete", CommandRunner.Describe(
            "Delete a configuration key's etcd key, or with --override its temporary override. Keys below it, and JSON values above it that also give it, stay.",
            "etcd-config delete Checkout:Banner --prefix /myapp/",
            "etcd-config delete Checkout:Banner --override --prefix /myapp/"))
        {
            key, overrideOnly,
        };

        CommandRunner.SetAction(command, common, context, async (parse, client, prefix, cancellationToken) =>
        {
            var name = parse.GetRequiredValue(key);
            var writer = new EtcdConfigurationWriter(client, prefix) { ValueFormat = common.Format(parse) };
            var isOverride = parse.GetValue(overrideOnly);
            var etcdKey = SetCommand.Resolve(() => isOverride ? writer.GetOverrideKey(name) : writer.GetEtcdKey(name));
            var existed = isOverride
                ? await writer.RemoveOverrideAsync(name, cancellationToken)
                : await writer.DeleteAsync(name, cancellationToken);
            string? stillThere = null;
            if (!isOverride)
            {
                var view = (await PrefixListing.ReadAsync(client, prefix, 0, cancellationToken)).View(common.Format(parse));
                stillThere = view.Values.ContainsKey(name) ? name : null;
            }

            if (parse.GetValue(common.Json))
            {
                new ChangePrinter(context).WriteJson(new { key = name, etcdKey, @override = isOverride, deleted = existed, stillHasValue = stillThere is not null });
            }
            else
            {
                await context.Out.WriteLineAsync(existed ? $"Deleted {etcdKey}." : $"There was no {etcdKey}; nothing deleted.");
                if (stillThere is not null)
                {
                    await context.Out.WriteLineAsync($"'{name}' still has a value from another etcd key (a JSON value above it); 'etcd-config check' shows conflicts.");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
