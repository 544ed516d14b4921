using System.Diagnostics;
using System.Text.Json;

namespace EchoBridge.Tests.Infrastructure;

/// <summary>
/// The third-party clients in <c>tests/clients</c> (Node's <c>ws</c>, noVNC's <c>Websock</c>), pinned in its
/// package.json and installed into its node_modules (ignored by git) by test.sh, or here on first use.
/// </summary>
public static class NodeClients
{
    private static readonly SemaphoreSlim Installing = new(1, 1);

    /// <summary>The folder with package.json and the client scripts.</summary>
    public static string Folder => Path.Combine(Repository.Root, "tests", "clients");

    /// <summary>Installs the pinned packages unless they are there.</summary>
    public static async Task EnsureInstalledAsync()
    {
        await Installing.WaitAsync();
        try
        {
            if (Directory.Exists(Path.Combine(Folder, "node_modules", "ws")) && Directory.Exists(Path.Combine(Folder, "node_modules", "@novnc", "novnc")))
            {
                return;
            }

            var (exit, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(2));
            Assert.True(exit == 0, $"npm ci failed in {Folder}:\n{output}");
        }
        finally
        {
            Installing.Release();
        }
    }

    /// <summary>Runs ws-client.mjs with <paramref name="arguments"/>; returns its JSON result line.</summary>
    public static async Task<JsonElement> RunWsClientAsync(params string[] arguments)
    {
        await EnsureInstalledAsync();
        var (exit, output) = await RunAsync("node", ["ws-client.mjs", .. arguments], TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, $"ws-client.mjs failed:\n{output}");
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
