using System.Globalization;

namespace EchoBridge.Bench.Hostile;

/// <summary>
/// The server's process at one moment, from <c>/proc/PID</c>: resident memory, CPU time so far (user + system),
/// open descriptors and threads. <see cref="Phase"/> is the phase running when it was taken.
/// </summary>
public sealed record ProcSample(int Phase, double AtSeconds, long RssKiB, double CpuSeconds, int Descriptors, int Threads)
{
    // /proc/PID/stat counts CPU time in clock ticks of USER_HZ, which the kernel ABI fixes at 100 on Linux.
    private const double TicksPerSecond = 100;

    /// <summary>Reads <paramref name="pid"/>'s figures; null when the process is gone.</summary>
    public static ProcSample? Read(int pid, int phase, double atSeconds)
    {
        try
        {
            var (rss, threads) = ParseStatus(File.ReadAllText($"/proc/{pid}/status"));
            var cpu = ParseStatCpuSeconds(File.ReadAllText($"/proc/{pid}/stat"));
            var descriptors = Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();
            return new ProcSample(phase, atSeconds, rss, cpu, descriptors, threads);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null; // exited (or a zombie whose status has no VmRSS line)
        }
    }

    /// <summary>utime + stime of a <c>/proc/PID/stat</c> line, in seconds.</summary>
    public static double ParseStatCpuSeconds(string stat)
    {
        // Fields after the command name (which may hold spaces and parentheses, so cut at the last ')'):
        // state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime …
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / TicksPerSecond;
    }

    /// <summary>VmRSS (KiB) and Threads of a <c>/proc/PID/status</c> text.</summary>
    public static (long RssKiB, int Threads) ParseStatus(string status)
    {
        long? rss = null;
        int? threads = null;
        foreach (var line in status.Split('\n'))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = long.Parse(Value(line), CultureInfo.InvariantCulture); // "VmRSS:	   51234 kB"
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(Value(line), CultureInfo.InvariantCulture);
            }
        }

        return (rss ?? throw new FormatException("no VmRSS line in /proc/PID/status"), threads ?? throw new FormatException("no Threads line in /proc/PID/status"));

        static string Value(string line) => line[(line.IndexOf(':') + 1)..].Trim().Split(' ', '\t')[0];
    }
}
