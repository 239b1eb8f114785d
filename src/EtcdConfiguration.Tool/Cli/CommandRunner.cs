using System.CommandLine;
using EtcdConfiguration.Client;

namespace EtcdConfiguration.Tool.Cli;

/// <summary>Gives a command's action its prefix and a connected client, and disposes the client afterwards.</summary>
internal static class CommandRunner
{
    public static void SetAction(
        Command command,
        ConnectionOptions common,
        ToolContext context,
        Func<ParseResult, EtcdClient, string, CancellationToken, Task<int>> body)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            var prefix = common.GetPrefix(parse);
            await using var client = await common.ConnectAsync(parse, context, cancellationToken);
            return await body(parse, client, prefix, cancellationToken);
        });
    }

    /// <summary>A command's description followed by its examples, for <c>--help</c>.</summary>
    public static string Describe(string summary, params string[] examples) =>
        summary + Environment.NewLine + Environment.NewLine + "Example" + (examples.Length > 1 ? "s" : string.Empty) + ":"
        + string.Concat(examples.Select(e => Environment.NewLine + "  " + e));
}
