using System.CommandLine;
using System.Text;
using EtcdConfiguration.Mapping;
using EtcdConfiguration.Tool.Cli;

namespace EtcdConfiguration.Tool.Commands;

/// <summary><c>set KEY VALUE [--ttl DURATION]</c>: one configuration key, or a temporary override of it.</summary>
internal static class SetCommand
{
    public static Command Create(ConnectionOptions common, ToolContext context)
    {
        var key = new Argument<string>("KEY") { Description = "The configuration key, such as Checkout:MaxItems." };
        var value = new Argument<string>("VALUE") { Description = "The value; one beginning with { or [ is JSON and sets the section beneath KEY." };
        var ttl = new Option<string?>("--ttl")
        {
            Description = "Write a temporary override instead, which expires by itself after this long (90s, 15m, 2h, 1h30m); the ordinary value is not touched.",
            HelpName = "DURATION",
        };
        var command = new Command("set", CommandRunner.Describe(
            "Set a configuration key, or with --ttl a temporary override of it (stored under {prefix}.overrides/ on an etcd lease).",
            "etcd-config set Checkout:MaxItems 50 --prefix /myapp/",
            "etcd-config set Checkout:Banner \"Maintenance at 18:00\" --ttl 30m --prefix /myapp/"))
        {
            key, value, ttl,
        };

        CommandRunner.SetAction(command, common, context, async (parse, client, prefix, cancellationToken) =>
        {
            var name = parse.GetRequiredValue(key);
            var text = parse.GetRequiredValue(value);
            var format = common.Format(parse);
            var writer = new EtcdConfigurationWriter(client, prefix) { ValueFormat = format };
            var etcdKey = Resolve(() => parse.GetValue(ttl) is null ? writer.GetEtcdKey(name) : writer.GetOverrideKey(name));

            // Refuse what the provider would skip rather than store it.
            var probe = ConfigurationView.Create([(Encoding.UTF8.GetBytes(etcdKey).AsMemory(), Encoding.UTF8.GetBytes(text).AsMemory())], prefix, format);
            if (probe.Skipped.Count > 0)
            {
                throw new ToolException($"Refused: the provider would skip the value of '{name}': {probe.Skipped[0].Reason}");
            }

            var printer = new ChangePrinter(context);
            var json = parse.GetValue(common.Json);
            if (parse.GetValue(ttl) is { } ttlText)
            {
                if (!DurationParser.TryParse(ttlText, out var duration))
                {
                    throw new ToolException($"'{ttlText}' is not a duration: use 90s, 15m, 2h, 1h30m or 00:15:00.");
                }

                var written = await writer.SetOverrideAsync(name, text, duration, cancellationToken);
                if (json)
                {
                    printer.WriteJson(new { key = name, etcdKey = written.EtcdKey, @override = true, leaseId = written.LeaseId, ttlSeconds = (long)written.Ttl.TotalSeconds, expiresAt = written.ExpiresAt, revision = written.Revision });
                }
                else
                {
                    await context.Out.WriteLineAsync($"Override of '{name}' set at {written.EtcdKey} (revision {written.Revision}) until {written.ExpiresAt:u}, lease {written.LeaseId:x}; it expires by itself, or 'etcd-config delete {name} --override' removes it.");
                }
            }
            else
            {
                var revision = await writer.SetAsync(name, text, cancellationToken);
                if (json)
                {
                    printer.WriteJson(new { key = name, etcdKey, @override = false, revision });
                }
                else
                {
                    await context.Out.WriteLineAsync($"Set '{name}' at {etcdKey} (revision {revision}).");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Turns a key the mapping cannot store into a one-line refusal.</summary>
    public static string Resolve(Func<string> etcdKey)
    {
        try
        {
            return etcdKey();
        }
        catch (ArgumentException ex)
        {
            throw new ToolException(ex.Message.Split(" (Parameter")[0]);
        }
    }
}
