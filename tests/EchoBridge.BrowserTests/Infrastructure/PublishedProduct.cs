using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace EchoBridge.BrowserTests.Infrastructure;

/// <summary>
/// The product as `dotnet publish` leaves it, run as its own process: proves that the publish output carries the
/// top-level wwwroot/ and the WebAssembly client, not only the build folders `dotnet run` serves from.
/// </summary>
public sealed class PublishedProduct : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _folder;

    private PublishedProduct(Process process, string folder, Uri http, string unixSocket)
    {
        _process = process;
        _folder = folder;
        Http = http;
        UnixSocket = unixSocket;
    }

    /// <summary>The dashboard's address.</summary>
    public Uri Http { get; }

    /// <summary>The echo listener's Unix socket.</summary>
    public string UnixSocket { get; }

    /// <summary>The publish output folder.</summary>
    public string Folder => _folder;

    /// <summary>Publishes the host (from the build this test run already made) and starts it on loopback.</summary>
    public static async Task<PublishedProduct> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("echobridge-publish-").FullName;
        var configuration = typeof(PublishedProduct).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var project = Path.Combine(RepositoryRoot(), "src", "EchoBridge", "EchoBridge.csproj");
        await RunAsync("dotnet", ["publish", project, "-c", configuration, "--no-build", "-o", folder], TimeSpan.FromMinutes(5));

        var port = FreeLoopbackPort();
        var unixSocket = Path.Combine(Path.GetTempPath(), $"ebp-{Guid.NewGuid():N}"[..12] + ".sock");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     Path.Combine(folder, "EchoBridge.dll"), "--Listener:Port=0", "--Listener:BindAddress=127.0.0.1",
                     $"--Listener:Unix:Path={unixSocket}",
                     $"--Kestrel:Endpoints:Http:Url=http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        var product = new PublishedProduct(new Process { StartInfo = info }, folder, new Uri($"http://127.0.0.1:{port}/"), unixSocket);
        product._process.OutputDataReceived += (_, e) => product.Append(e.Data);
        product._process.ErrorDataReceived += (_, e) => product.Append(e.Data);
        product._process.Start();
        product._process.BeginOutputReadLine();
        product._process.BeginErrorReadLine();
        await product.WaitUntilReadyAsync();
        return product;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the published product exited: {_output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Http, "readyz"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the published product did not become ready: {_output}");
            }

            await Task.Delay(50); // poll interval of a bounded wait (deadline above)
        }
    }

    private static async Task RunAsync(string file, string[] args, TimeSpan bound)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(bound);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stdout}{await stderr}");
        }
    }

    private static int FreeLoopbackPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EchoBridge.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EchoBridge.sln not found above " + AppContext.BaseDirectory);
    }
}
