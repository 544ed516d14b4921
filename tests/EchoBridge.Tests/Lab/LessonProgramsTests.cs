using System.Diagnostics;
using System.Net;
using System.Text;
using EchoBridge.Client.Lab;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Lab;

/// <summary>
/// The lab page's programs (<see cref="LessonSnippets"/>) as the learner runs them: the Python client and the Node
/// client against the real product, and the lesson's Python server on a port of its own, answering a real client.
/// </summary>
public sealed class LessonProgramsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("echobridge-lesson-").FullName;

    [Fact]
    public async Task The_lessons_python_client_gets_its_echo_and_ends_with_quit()
    {
        await using var host = await TestHost.StartAsync();

        var (exit, output) = await RunAsync(Snippet("python-client", host.Tcp.Port), "python3", "hola\nquit\n");

        Assert.True(exit == 0, output);
        Assert.Contains("hola\n", output, StringComparison.Ordinal);
        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 0, "the session to end");
    }

    [Fact]
    public async Task The_node_client_gets_its_echo_and_the_farewell()
    {
        await using var host = await TestHost.StartAsync();

        var (exit, output) = await RunAsync(Snippet("node-client", host.Tcp.Port), "node", "hola\nquit\n");

        Assert.True(exit == 0, output);
        Assert.Equal("hola\nquit\nGoodbye.\r\n", output);
    }

    [Fact]
    public async Task The_csharp_client_runs_as_a_file_based_app_and_gets_its_echo()
    {
        await using var host = await TestHost.StartAsync();

        // `dotnet run cliente.cs` compiles first: slow on a busy machine, hence the longer bound.
        var (exit, output) = await RunAsync(Snippet("csharp-client", host.Tcp.Port), "dotnet", "hola\nquit\n", TimeSpan.FromMinutes(3), "run");

        Assert.True(exit == 0, output);
        Assert.StartsWith("hola\nquit\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_lessons_python_server_echoes_and_says_goodbye_on_quit()
    {
        var port = FreePort.Tcp();
        var snippet = Snippet("python-server", port);
        var path = Path.Combine(_folder, snippet.FileName);
        await File.WriteAllTextAsync(path, snippet.Code);
        using var server = Start("python3", path);
        try
        {
            using var client = await ConnectWhenListeningAsync(new IPEndPoint(IPAddress.Loopback, port));
            await client.SendAsync("hola\n");
            Assert.Equal("hola\n", Encoding.ASCII.GetString(await client.ReceiveExactlyAsync(5)));
            await client.SendAsync("quit\n");
            Assert.Equal("quit\nGoodbye.\r\n", Encoding.ASCII.GetString(await client.ReceiveExactlyAsync(15)));
        }
        finally
        {
            server.Kill(entireProcessTree: true); // the lesson's server serves forever
            await server.WaitForExitAsync().Within();
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static LessonSnippets.Snippet Snippet(string id, int port) =>
        LessonSnippets.For("127.0.0.1", port).Single(s => s.Id == id);

    // Saves the program as the page says and runs it with the given stdin; bounded.
    private async Task<(int Exit, string Output)> RunAsync(
        LessonSnippets.Snippet snippet, string runtime, string stdin, TimeSpan? bound = null, string? command = null)
    {
        var path = Path.Combine(_folder, snippet.FileName);
        await File.WriteAllTextAsync(path, snippet.Code);
        // `dotnet run` builds without the shared compiler server: one left hung by an earlier build would stall it.
        using var process = command is null ? Start(runtime, path) : Start(runtime, command, path, "-p:UseSharedCompilation=false");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync().Within(bound ?? TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        // The Python client's prompts ("> ") go to stdout too; they are not part of what came back.
        return (process.ExitCode, (await stdout).Replace("> ", "", StringComparison.Ordinal) + await stderr);
    }

    private Process Start(string runtime, params string[] arguments)
    {
        var start = new ProcessStartInfo(runtime)
        {
            WorkingDirectory = _folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    // The server process needs a moment to bind: connection attempts are retried until it listens, within the bound.
    private static async Task<EchoClient> ConnectWhenListeningAsync(IPEndPoint endPoint)
    {
        var deadline = DateTime.UtcNow + Bounded.Step;
        while (true)
        {
            try
            {
                return await EchoClient.ConnectAsync(endPoint);
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50); // poll interval of a bounded wait (deadline above)
            }
        }
    }
}
