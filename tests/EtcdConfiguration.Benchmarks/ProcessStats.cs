using System.Globalization;
using System.Runtime.InteropServices;

namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// Another process's CPU time and resident memory as Linux accounts them (<c>/proc/&lt;pid&gt;/stat</c> and
/// <c>/status</c>), so etcd's members and the benchmark's children are measured alike without their help.
/// </summary>
internal static partial class ProcessStats
{
    private const int ClockTicksName = 2; // _SC_CLK_TCK

    private static readonly double MillisecondsPerTick = 1000.0 / SysConf(ClockTicksName);

    /// <summary>User plus system CPU time used so far, in milliseconds (kernel tick resolution, usually 10 ms).</summary>
    public static double CpuMilliseconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name is in parentheses and may hold spaces; the fields after it are fixed. utime and stime
        // are fields 14 and 15 of the whole line, so 12th and 13th after the name.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks * MillisecondsPerTick;
    }

    /// <summary>Resident set size (<c>VmRSS</c>) in bytes.</summary>
    public static long ResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kib = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no VmRSS line.");
    }

    public static double CpuMilliseconds(IEnumerable<int> pids) => pids.Sum(CpuMilliseconds);

    public static long ResidentBytes(IEnumerable<int> pids) => pids.Sum(ResidentBytes);

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);
}
