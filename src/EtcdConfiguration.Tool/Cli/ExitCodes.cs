namespace EtcdConfiguration.Tool.Cli;

/// <summary>The tool's exit codes, as scripts rely on them.</summary>
internal static class ExitCodes
{
    /// <summary>Success; for <c>diff</c> and <c>check</c>, nothing to report.</summary>
    public const int Success = 0;

    /// <summary><c>diff</c> found differences, or <c>check</c> found problems.</summary>
    public const int Found = 1;

    /// <summary>A usage or connection error, a refused write, or a concurrent writer.</summary>
    public const int Error = 2;
}
