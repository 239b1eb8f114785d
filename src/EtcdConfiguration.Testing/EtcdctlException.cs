namespace EtcdConfiguration.Testing;

/// <summary>etcdctl exited with a non-zero code or did not finish in time.</summary>
public sealed class EtcdctlException : InvalidOperationException
{
    /// <summary>Creates an exception without details.</summary>
    public EtcdctlException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public EtcdctlException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public EtcdctlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal EtcdctlException(string message, int? exitCode, string standardError)
        : base(message)
    {
        ExitCode = exitCode;
        StandardError = standardError;
    }

    /// <summary>etcdctl's exit code; null when it was killed for running too long.</summary>
    public int? ExitCode { get; }

    /// <summary>What etcdctl wrote to standard error.</summary>
    public string StandardError { get; } = string.Empty;
}
