using EtcdConfiguration.Tool.Cli;

namespace EtcdConfiguration.Tool.Tests;

/// <summary>One in-process run of <c>etcd-config</c>: its exit code and what it wrote.</summary>
public sealed record ToolRun(int ExitCode, string Out, string Err)
{
    internal static async Task<ToolRun> RunAsync(
        string[] args,
        Func<Task>? beforeWrite = null,
        Func<string, string?>? environment = null,
        TextWriter? err = null,
        bool color = false,
        CancellationToken cancellationToken = default)
    {
        var output = new StringWriter();
        var error = err ?? new StringWriter();
        var context = new ToolContext
        {
            Out = TextWriter.Synchronized(output),
            Err = TextWriter.Synchronized(error),
            Environment = environment ?? (_ => null),
            BeforeWrite = beforeWrite,
            Color = color,
        };
        var code = await EtcdConfigCli.RunAsync(args, context, cancellationToken);
        return new ToolRun(code, output.ToString(), error.ToString() ?? string.Empty);
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Err}";
}
