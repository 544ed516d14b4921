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
