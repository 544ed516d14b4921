using System.Diagnostics;
using System.Runtime.InteropServices;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Hosting;

/// <summary>
/// What `docker build` would produce, made without Docker: the Dockerfile's build-stage COPY steps fill a fresh build
/// context (without bin/obj, as .dockerignore says) and its RUN steps run there, with /app pointing at an output folder.
/// </summary>
public sealed class PublishedImage : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"eb-image-{Guid.NewGuid():N}");

    /// <summary>The parsed Dockerfile.</summary>
    public Dockerfile Dockerfile { get; } = Dockerfile.Load();

    /// <summary>The published output (the image's /app).</summary>
    public string App => Path.Combine(_root, "app");

    /// <summary>The Docker architecture name of this machine.</summary>
    public static string TargetArch => RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var context = Path.Combine(_root, "source");
        Directory.CreateDirectory(context);
        Directory.CreateDirectory(App);
        foreach (var (sources, destination) in Dockerfile.BuildCopies)
        {
            foreach (var source in sources)
            {
                Copy(source, Path.Combine(context, destination));
            }
        }

        foreach (var command in Dockerfile.BuildRuns)
        {
            // dotnet's -a takes the same names as Docker's TARGETARCH (amd64 is accepted as x64).
            var resolved = command.Replace("$TARGETARCH", TargetArch, StringComparison.Ordinal)
                .Replace(" /app", " " + App, StringComparison.Ordinal);
            await RunAsync(resolved, context);
        }
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    private static void Copy(string source, string destination)
    {
        var from = Path.Combine(Repository.Root, source);
        if (source.Contains('*', StringComparison.Ordinal))
        {
            Directory.CreateDirectory(destination);
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(from)!, Path.GetFileName(from)))
            {
                File.Copy(file, Path.Combine(destination, Path.GetFileName(file)), overwrite: true);
            }
        }
        else if (Directory.Exists(from))
        {
            CopyDirectory(from, destination);
        }
        else
        {
            Directory.CreateDirectory(destination);
            File.Copy(from, Path.Combine(destination, Path.GetFileName(from)), overwrite: true);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }

        foreach (var dir in Directory.GetDirectories(from))
        {
            if (Path.GetFileName(dir) is "bin" or "obj" or "node_modules" or "TestResults")
            {
                continue; // .dockerignore
            }

            CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
        }
    }

    private static async Task RunAsync(string command, string workingDirectory)
    {
        var info = new ProcessStartInfo("bash", ["-c", command])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().Within(TimeSpan.FromMinutes(6));
        Assert.True(process.ExitCode == 0, $"`{command}` failed:\n{await stdout}\n{await stderr}");
    }
}
