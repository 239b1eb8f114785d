using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using EtcdConfiguration.Testing;

namespace EtcdConfiguration.Benchmarks;

/// <summary>What the run ran on, for the published table.</summary>
internal sealed record MachineInfo(int Cores, string Cpu, double MemoryGiB, string Os, string Kernel, string Runtime, string Etcd)
{
    public static async Task<MachineInfo> ReadAsync() => new(
        Environment.ProcessorCount,
        FirstValue("/proc/cpuinfo", "model name", ':') ?? RuntimeInformation.ProcessArchitecture.ToString(),
        ReadMemoryGiB(),
        FirstValue("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription,
        Environment.OSVersion.Version.ToString(),
        RuntimeInformation.FrameworkDescription,
        await EtcdVersionAsync());

    /// <summary>The 1-, 5- and 15-minute load averages, as <c>uptime</c> shows them.</summary>
    public static string LoadAverage() =>
        string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    public static double LoadAverageOneMinute() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    private static double ReadMemoryGiB()
    {
        var kib = FirstValue("/proc/meminfo", "MemTotal", ':')?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return kib is null ? double.NaN : double.Parse(kib, CultureInfo.InvariantCulture) / (1024 * 1024);
    }

    private static string? FirstValue(string file, string name, char separator) =>
        File.Exists(file)
            ? File.ReadLines(file)
                .Where(line => line.StartsWith(name, StringComparison.Ordinal))
                .Select(line => line[(line.IndexOf(separator, StringComparison.Ordinal) + 1)..].Trim())
                .FirstOrDefault()
            : null;

    private static async Task<string> EtcdVersionAsync()
    {
        var info = new ProcessStartInfo(EtcdBinaries.Etcd, "--version") { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not run etcd --version.");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Split('\n').FirstOrDefault(line => line.StartsWith("etcd Version:", StringComparison.Ordinal))?["etcd Version:".Length..].Trim() ?? "unknown";
    }
}
