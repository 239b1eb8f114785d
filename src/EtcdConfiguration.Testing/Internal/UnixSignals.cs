using System.ComponentModel;
using System.Runtime.InteropServices;

namespace EtcdConfiguration.Testing.Internal;

/// <summary>kill(2), for the signals <see cref="System.Diagnostics.Process"/> cannot send.</summary>
internal static partial class UnixSignals
{
    public const int SigKill = 9;
    public const int SigCont = 18;
    public const int SigStop = 19;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="processId"/>; false when no such process exists.</summary>
    public static bool Send(int processId, int signal)
    {
        if (Kill(processId, signal) == 0)
        {
            return true;
        }

        var error = Marshal.GetLastPInvokeError();
        const int NoSuchProcess = 3;
        return error == NoSuchProcess
            ? false
            : throw new Win32Exception(error, $"kill({processId}, {signal}) failed.");
    }

    /// <summary>True while a process with that id exists and is not a zombie waiting to be reaped.</summary>
    public static bool IsAlive(int processId)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{processId}/stat");
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }

        return ProcessState(stat) is not ('Z' or 'X');
    }

    /// <summary>The state letter in /proc/&lt;pid&gt;/stat (R, S, T, Z...), or null when the process is gone.</summary>
    public static char? ProcessState(int processId)
    {
        try
        {
            return ProcessState(File.ReadAllText($"/proc/{processId}/stat"));
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }
    }

    /// <summary>The command name in /proc/&lt;pid&gt;/comm (what the process exec'd last), or null when it is gone.</summary>
    public static string? ProcessName(int processId)
    {
        try
        {
            return File.ReadAllText($"/proc/{processId}/comm").TrimEnd('\n');
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }
    }

    // The command name in parentheses may itself contain spaces or parentheses; the state follows the last ')'.
    private static char ProcessState(string stat) => stat[stat.LastIndexOf(')') + 2];

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int sig);
}
