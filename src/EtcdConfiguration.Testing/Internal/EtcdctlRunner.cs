using System.Diagnostics;

namespace EtcdConfiguration.Testing.Internal;

/// <summary>Runs etcdctl (API v3) once, bounded in time.</summary>
internal static class EtcdctlRunner
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs etcdctl with exactly <paramref name="arguments"/> and returns its standard output.</summary>
    /// <exception cref="EtcdctlException">Non-zero exit, or still running after <see cref="Timeout"/>.</exception>
    public static async Task<string> RunAsync(string? standardInput, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(EtcdBinaries.Etcdctl)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var variable in info.Environment.Keys.Where(k => k.StartsWith("ETCDCTL_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(variable);
        }

        info.Environment["ETCDCTL_API"] = "3";

        using var process = Process.Start(info)
            ?? throw new InvalidOperationException($"Could not start {info.FileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            if (standardInput is not null)
            {
                await process.StandardInput.WriteAsync(standardInput);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // etcdctl exited without reading its input; its exit code and stderr say why.
        }

        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
            throw new EtcdctlException(
                $"etcdctl {Describe(info)} did not finish within {Timeout.TotalSeconds:0} s and was killed. Stderr:\n{await error}",
                null,
                await error);
        }

        var standardOutput = await output;
        var standardError = await error;
        return process.ExitCode == 0
            ? standardOutput
            : throw new EtcdctlException(
                $"etcdctl {Describe(info)} exited with code {process.ExitCode}. Stderr:\n{standardError}",
                process.ExitCode,
                standardError);
    }

    // Passwords are the test's own throwaway values; still, keep them out of messages.
    private static string Describe(ProcessStartInfo info) =>
        string.Join(' ', info.ArgumentList.Select(a => a.StartsWith("--user=", StringComparison.Ordinal)
            ? "--user=***"
            : a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a));
}
