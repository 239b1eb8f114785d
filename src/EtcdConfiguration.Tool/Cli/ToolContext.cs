namespace EtcdConfiguration.Tool.Cli;

/// <summary>
/// Where a run of the tool reads and writes: its output and error streams, whether to colour, its environment and
/// how to ask for a password. A process uses <see cref="ForConsole"/>; tests pass their own.
/// </summary>
internal sealed class ToolContext
{
    /// <summary>Standard output: the results, human or JSON.</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Standard error: one-line errors and progress notes.</summary>
    public required TextWriter Err { get; init; }

    /// <summary>Whether standard output is a terminal that takes ANSI colour.</summary>
    public bool Color { get; init; }

    /// <summary>Reads an environment variable.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Asks for a password without echo; <see langword="null"/> when there is no terminal to ask on.</summary>
    public Func<string, string?>? PromptPassword { get; init; }

    /// <summary>For tests: runs after a writing command has read etcd and before its first transaction.</summary>
    public Func<Task>? BeforeWrite { get; init; }

    /// <summary>The context of a process run from a shell.</summary>
    public static ToolContext ForConsole() => new()
    {
        Out = Console.Out,
        Err = Console.Error,
        Color = !Console.IsOutputRedirected && System.Environment.GetEnvironmentVariable("NO_COLOR") is null,
        PromptPassword = Console.IsInputRedirected ? null : ReadHidden,
    };

    private static string ReadHidden(string prompt)
    {
        Console.Error.Write(prompt);
        var text = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return text.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    text.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
    }
}
