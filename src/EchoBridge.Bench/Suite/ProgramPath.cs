namespace EchoBridge.Bench.Suite;

/// <summary>How to start a built program: an executable as it is, a <c>.dll</c> through the dotnet host.</summary>
public static class ProgramPath
{
    /// <summary>The file to execute and the arguments that come before the program's own.</summary>
    public static (string File, IReadOnlyList<string> Prefix) Resolve(string program) =>
        program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? (DotnetHost(), [program]) : (program, []);

    /// <summary>This bench, to run its own modes as the load: the apphost beside it if there is one, else its dll.</summary>
    public static string Self()
    {
        var dll = typeof(ProgramPath).Assembly.Location;
        var apphost = Path.ChangeExtension(dll, null);
        return File.Exists(apphost) && Path.GetFileName(Environment.ProcessPath) == Path.GetFileName(apphost) ? apphost : dll;
    }

    /// <summary>Where <paramref name="program"/> is on PATH; null when it is not installed.</summary>
    public static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program)).FirstOrDefault(File.Exists);

    /// <summary>An argument as a shell would need it in a report's command line (quoted unless plainly safe).</summary>
    public static string Quote(string argument) =>
        argument.Length > 0 && argument.All(ch => char.IsAsciiLetterOrDigit(ch) || "-_./:=,+@".Contains(ch)) ? argument : $"'{argument}'";

    /// <summary>bench/results/PREFIXDATE-COMMIT/ in the git repository this runs in; null outside one.</summary>
    public static string? ResultsFolder(string prefix)
    {
        var top = SuiteRunner.Git("rev-parse --show-toplevel");
        return top is null ? null : Path.Combine(top, "bench", "results", $"{prefix}{DateTime.UtcNow:yyyy-MM-dd}-{SuiteRunner.Commit()}");
    }

    /// <summary>The dotnet host: the one running this process if it is one, else the SDK's choice, else PATH's.</summary>
    private static string DotnetHost()
    {
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }
}
