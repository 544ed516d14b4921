using System.Globalization;

namespace EchoBridge.Bench.Reporting;

/// <summary>
/// The server's process as Linux shows it in <c>/proc</c>: its CPU time, children included (to tell a saturated
/// server from a slow client) and its resident memory (for the idle mode). Null when the process is gone or the file
/// unreadable.
/// </summary>
public sealed class ServerProcess(int pid)
{
    // /proc/PID/stat counts CPU time in clock ticks of USER_HZ, which the kernel ABI fixes at 100 on Linux.
    private const double TicksPerSecond = 100;

    /// <summary>The process id.</summary>
    public int Pid => pid;

    /// <summary>
    /// User plus system CPU time used so far by the process and its descendants: a server that forks a process per
    /// connection (websockify) spends its time in them. A child's time moves into its parent's reaped-children count
    /// when it ends, so the sum over the tree never drops. Null when the process is gone.
    /// </summary>
    public TimeSpan? CpuTime()
    {
        var processes = new Dictionary<int, (int Parent, long Ticks)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                && Read($"{directory}/stat") is { } stat)
            {
                processes[id] = Parse(stat);
            }
        }

        if (!processes.ContainsKey(pid))
        {
            return null;
        }

        long ticks = 0;
        var tree = new Queue<int>([pid]);
        while (tree.TryDequeue(out var id))
        {
            ticks += processes[id].Ticks;
            foreach (var (child, _) in processes.Where(p => p.Value.Parent == id))
            {
                tree.Enqueue(child);
            }
        }

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

    // Fields after the command name (which may hold spaces and parentheses, so cut at the last ')'):
    // state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
    private static (int Parent, long Ticks) Parse(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int index) => long.Parse(fields[index], CultureInfo.InvariantCulture);
        return ((int)Field(1), Field(11) + Field(12) + Field(13) + Field(14));
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
