namespace EchoBridge.Tests.Infrastructure;

/// <summary>Which user a process runs as, read from /proc.</summary>
public static class ProcessUser
{
    /// <summary>The real uid of process <paramref name="pid"/>, as text.</summary>
    public static string Uid(int pid) =>
        File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal))
            .Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
}
