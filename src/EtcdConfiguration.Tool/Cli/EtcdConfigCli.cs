using System.CommandLine;
using EtcdConfiguration.Client;
using EtcdConfiguration.Tool.Commands;

namespace EtcdConfiguration.Tool.Cli;

/// <summary>The <c>etcd-config</c> command line: parses, runs one command, and turns every failure into one line and an exit code.</summary>
internal static class EtcdConfigCli
{
    public static RootCommand Build(ToolContext context)
    {
        var common = new ConnectionOptions();
        var root = new RootCommand(
            "Put configuration into etcd, review it, watch it and roll it back, mapped exactly as AddEtcd maps it."
            + Environment.NewLine + "Exit codes: 0 success (diff, check: nothing to report), 1 differences or problems found, 2 usage or connection error.");
        common.AddTo(root);
        root.Add(ImportCommand.Create(common, context));
        root.Add(ExportCommand.Create(common, context));
        root.Add(DiffCommand.Create(common, context));
        root.Add(WatchCommand.Create(common, context));
        root.Add(HistoryCommand.Create(common, context));
        root.Add(RollbackCommand.Create(common, context));
        root.Add(SetCommand.Create(common, context));
        root.Add(DeleteCommand.Create(common, context));
        root.Add(CheckCommand.Create(common, context));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, ToolContext context, CancellationToken cancellationToken = default)
    {
        var parse = Build(context).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await context.Err.WriteLineAsync($"etcd-config: {error.Message}");
            }

            await context.Err.WriteLineAsync("Run 'etcd-config --help' for usage.");
            return ExitCodes.Error;
        }

        try
        {
            return await parse.InvokeAsync(
                new InvocationConfiguration { Output = context.Out, Error = context.Err, EnableDefaultExceptionHandler = false },
                cancellationToken);
        }
        catch (ToolException ex)
        {
            await context.Err.WriteLineAsync($"etcd-config: {ex.Message}");
            return ex.ExitCode;
        }
        catch (EtcdException ex)
        {
            // The client's messages name the operation, endpoint and user, never a password or value.
            await context.Err.WriteLineAsync($"etcd-config: {OneLine(ex.Message)}");
            return ExitCodes.Error;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Err.WriteLineAsync("etcd-config: canceled.");
            return ExitCodes.Error;
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
