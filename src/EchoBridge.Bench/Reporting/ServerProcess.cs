using System.Globalization;

namespace EchoBridge.Bench.Reporting;

/// <summary>
/// The server's process as Linux shows it in <c>/proc</c>: its CPU time (to tell a saturated server from a slow
/// client) and its resident memory (for the idle mode). Null when the process is gone or the file unreadable.
/// </summary>
public sealed class ServerProcess(int pid)
{
    // /proc/PID/stat counts CPU time in clock ticks of USER_HZ, which the kernel ABI fixes at 100 on Linux.
    private const double TicksPerSecond = 100;

    /// <summary>The process id.</summary>
    public int Pid => pid;

    /// <summary>User plus system CPU time used so far.</summary>
    public TimeSpan? CpuTime()
    {
        var stat = Read($"/proc/{pid}/stat");
        if (stat is null)
        {
            return null;
        }

        // Fields after the command name (which may hold spaces and parentheses, so cut at the last ')'):
        // state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime …
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>Resident set size (VmRSS) in KiB.</summary>
    public long? RssKiB()
    {
        var status = Read($"/proc/{pid}/status");
        var line = status?.Split('\n').FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        // "VmRSS:	   51234 kB"
        var value = line["VmRSS:".Length..].Trim().Split(' ')[0];
        return long.Parse(value, CultureInfo.InvariantCulture);
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
