using System.Diagnostics;
using System.Globalization;
using System.Net;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Hosting;

/// <summary>
/// The product as a .NET tool: `dotnet pack` into a local folder feed, `dotnet tool install --add-source` from it,
/// and `echobridge` started from an unrelated folder serves the dashboard (its assets included) and the echo.
/// </summary>
public sealed class DotnetToolTests
{
    [Fact]
    public async Task The_packed_tool_installs_from_a_folder_feed_and_runs_the_whole_product()
    {
        var root = Directory.CreateTempSubdirectory("eb-tool-").FullName;
        try
        {
            var (feed, tools, elsewhere) = (Path.Combine(root, "feed"), Path.Combine(root, "tools"), Path.Combine(root, "cwd"));
            Directory.CreateDirectory(elsewhere);
            await RunAsync("dotnet", ["pack", Path.Combine(Repository.Root, "src", "EchoBridge"), "-c", "Release", "-o", feed], Repository.Root);
            // A package folder of its own, so the install takes this build's package, not one cached by an earlier run.
            await RunAsync("dotnet", ["tool", "install", "--tool-path", tools, "--add-source", feed, "EchoBridge"], elsewhere,
                ("NUGET_PACKAGES", Path.Combine(root, "packages")));

            var (httpPort, echoPort) = (FreePort.Tcp(), FreePort.Tcp());
            var info = new ProcessStartInfo(Path.Combine(tools, "echobridge"),
                ["--urls", $"http://127.0.0.1:{httpPort}", $"--Listener:Port={echoPort}", "--Listener:BindAddress=127.0.0.1", "--Listener:Unix:Enabled=false"])
            {
                WorkingDirectory = elsewhere,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var tool = Process.Start(info)!;
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(2) };
                await Bounded.UntilAsync(() => IsReady(http), "the tool's /readyz answers", TimeSpan.FromSeconds(30));
                Assert.Contains("EchoBridge", await http.GetStringAsync(new Uri("/", UriKind.Relative)).Within(), StringComparison.Ordinal);
                using var framework = await http.GetAsync(new Uri("/_framework/blazor.web.js", UriKind.Relative)).Within();
                Assert.Equal(HttpStatusCode.OK, framework.StatusCode);

                using var echo = await EchoClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, echoPort));
                await echo.SendAsync("tool");
                Assert.Equal("tool"u8.ToArray(), await echo.ReceiveExactlyAsync(4));
            }
            finally
            {
                tool.Kill(entireProcessTree: true);
                await tool.WaitForExitAsync().Within();
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static bool IsReady(HttpClient http)
    {
        try
        {
            return http.GetAsync(new Uri("/readyz", UriKind.Relative)).GetAwaiter().GetResult().IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task RunAsync(string file, string[] args, string directory, params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo(file, args) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().Within(TimeSpan.FromMinutes(4));
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed ({process.ExitCode.ToString(CultureInfo.InvariantCulture)}):\n{await output}\n{await error}");
    }
}
