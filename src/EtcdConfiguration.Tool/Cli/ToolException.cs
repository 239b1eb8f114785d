namespace EtcdConfiguration.Tool.Cli;

/// <summary>A failure the tool reports as one line and an exit code, never with a stack trace.</summary>
internal sealed class ToolException : Exception
{
    public ToolException(string message, int exitCode = ExitCodes.Error)
        : base(message) => ExitCode = exitCode;

    public ToolException(string message, Exception innerException)
        : base(message, innerException) => ExitCode = ExitCodes.Error;

    public ToolException()
        : this("etcd-config failed.")
    {
    }

    public ToolException(string message)
        : this(message, ExitCodes.Error)
    {
    }

    /// <summary>The process exit code.</summary>
    public int ExitCode { get; }
}
