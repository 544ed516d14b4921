using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Hosting;

/// <summary>
/// No Docker engine runs here, so the image is proven piece by piece: published exactly as the Dockerfile does, and
/// started with the image's environment, as an unprivileged user (the image's APP_UID when the tests run as root).
/// </summary>
public sealed class ContainerImageTests(PublishedImage image) : IClassFixture<PublishedImage>
{
    private const int AppUid = 1654; // the aspnet images' $APP_UID

    [Fact]
    public void The_image_exposes_http_and_the_echo_ports_and_runs_as_the_app_user()
    {
        Assert.Equal(["8080", "9999", "9999/udp"], image.Dockerfile.Exposed);
        Assert.False(image.Dockerfile.Environment.ContainsKey("ASPNETCORE_HTTP_PORTS"), "the base image's HTTP port setting is the one used");
        Assert.False(image.Dockerfile.Environment.ContainsKey("Kestrel__Endpoints__Http__Url"));
        Assert.Equal("any", image.Dockerfile.Environment["Listener__BindAddress"]);
        var text = File.ReadAllText(Path.Combine(Repository.Root, "Dockerfile"));
        Assert.Contains("USER $APP_UID", text, StringComparison.Ordinal);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_published_build_serves_every_endpoint_as_an_unprivileged_user_and_stops_cleanly_on_SIGTERM()
    {
        var (httpPort, echoPort) = (FreePort.Tcp(), FreePort.Tcp());
        var runtimeDir = Path.Combine(Path.GetTempPath(), $"eb-run-{Guid.NewGuid():N}"[..15]);
        Directory.CreateDirectory(runtimeDir);
        File.SetUnixFileMode(runtimeDir, (UnixFileMode)0x1FF); // 0777: the unprivileged user writes its socket here
        var socketPath = Path.Combine(runtimeDir, "echobridge.sock");
        var environment = ImageEnvironment(httpPort, echoPort, socketPath, runtimeDir);

        using var server = Start(image.Dockerfile.Entrypoint, environment);
        try
        {
            await WaitUntilReadyAsync(server, httpPort);
            Assert.NotEqual("0", ProcessUser.Uid(server.Id));

            // `docker run` listens beyond loopback with no token: the URL it prints is the way in, and the only one.
            await Bounded.UntilAsync(() => StdoutOf(server).Contains("?access_token=", StringComparison.Ordinal), "the dashboard's URL is printed");
            var url = System.Text.RegularExpressions.Regex.Match(StdoutOf(server), @"http://localhost:\d+/\?access_token=[0-9a-f]+").Value;
            using (var handler = new HttpClientHandler { UseCookies = true })
            using (var http = new HttpClient(handler) { BaseAddress = new Uri($"http://localhost:{httpPort}") })
            {
                using (var locked = await http.GetAsync(new Uri("/", UriKind.Relative)).Within()) // no cookie yet
                {
                    Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
                }

                Assert.Contains("EchoBridge", await http.GetStringAsync(new Uri(url)).Within(), StringComparison.Ordinal);
                var page = await http.GetStringAsync(new Uri("/", UriKind.Relative)).Within();
                Assert.Contains("EchoBridge", page, StringComparison.Ordinal);
                using var asset = await http.GetAsync(new Uri("/favicon.svg", UriKind.Relative)).Within();
                Assert.Equal(HttpStatusCode.OK, asset.StatusCode); // from the top-level wwwroot/
                using var framework = await http.GetAsync(new Uri("/_framework/blazor.web.js", UriKind.Relative)).Within();
                Assert.Equal(HttpStatusCode.OK, framework.StatusCode);
                using var negotiate = await http.PostAsync(new Uri("/hubs/bridge/negotiate?negotiateVersion=1", UriKind.Relative), null).Within();
                Assert.Equal(HttpStatusCode.OK, negotiate.StatusCode);
                Assert.Contains("connectionToken", await negotiate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            using var tcp = await EchoClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, echoPort));
            await tcp.SendAsync("tcp");
            Assert.Equal("tcp"u8.ToArray(), await tcp.ReceiveExactlyAsync(3));

            using (var unix = await EchoClient.ConnectAsync(socketPath))
            {
                await unix.SendAsync("unix");
                Assert.Equal("unix"u8.ToArray(), await unix.ReceiveExactlyAsync(4));
            }

            using (var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
            {
                await udp.SendToAsync("udp"u8.ToArray(), new IPEndPoint(IPAddress.Loopback, echoPort)).Within();
                var buffer = new byte[16];
                var n = await udp.ReceiveAsync(buffer).Within();
                Assert.Equal("udp"u8.ToArray(), buffer[..n]);
            }

            using (var check = Start(image.Dockerfile.HealthCheck, environment))
            {
                await check.WaitForExitAsync().Within();
                check.WaitForExit();
                Assert.True(check.ExitCode == 0, "the HEALTHCHECK command reports ready: " + StderrOf(check));
            }

            Signals.Send(server.Id, 15); // what `docker stop` sends
            Assert.Equal("Server shutting down. Goodbye.\r\n", await tcp.ReceiveTextToEndAsync());
            await server.WaitForExitAsync().Within(TimeSpan.FromSeconds(10)); // docker stop's grace period
            Assert.Equal(0, server.ExitCode);
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill();
            }

            Directory.Delete(runtimeDir, recursive: true);
        }
    }

    [Fact]
    public async Task The_health_check_mode_fails_when_nothing_answers()
    {
        var environment = ImageEnvironment(FreePort.Tcp(), FreePort.Tcp(), "/tmp/unused.sock", Path.GetTempPath());
        using var check = Start(image.Dockerfile.HealthCheck, environment);
        await check.WaitForExitAsync().Within();
        Assert.Equal(1, check.ExitCode);
    }

    private Dictionary<string, string> ImageEnvironment(int httpPort, int echoPort, string socketPath, string home)
    {
        var environment = new Dictionary<string, string>
        {
            // What the aspnet:10.0 base image sets…
            ["ASPNETCORE_HTTP_PORTS"] = "8080",
            ["APP_UID"] = AppUid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DOTNET_RUNNING_IN_CONTAINER"] = "true",
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
            ["HOME"] = home,
        };
        foreach (var (key, value) in image.Dockerfile.Environment)
        {
            environment[key] = value; // …then the Dockerfile's own ENV…
        }

        // …and only the ports and the socket path moved, so the test can't collide with anything on this machine.
        environment["ASPNETCORE_HTTP_PORTS"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["Listener__Port"] = echoPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["Listener__Unix__Path"] = socketPath;
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { } dotnetRoot)
        {
            environment["DOTNET_ROOT"] = dotnetRoot;
        }

        return environment;
    }

    private Process Start(string[] command, Dictionary<string, string> environment)
    {
        var executable = Path.Combine(image.App, command[0]);
        var asRoot = Environment.UserName == "root" || ProcessUser.Uid(Environment.ProcessId) == "0";
        var info = asRoot
            ? new ProcessStartInfo("setpriv", [$"--reuid={AppUid}", $"--regid={AppUid}", "--clear-groups", "--", executable, .. command[1..]])
            : new ProcessStartInfo(executable, command[1..]);
        info.WorkingDirectory = image.App;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.Environment.Clear();
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var errors = new System.Text.StringBuilder();
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _stderr[process.Id] = errors;
        _stdout[process.Id] = output;
        return process;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, System.Text.StringBuilder> _stderr = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, System.Text.StringBuilder> _stdout = new();

    private string StdoutOf(Process process)
    {
        var output = _stdout[process.Id];
        lock (output)
        {
            return output.ToString();
        }
    }

    private string StderrOf(Process process)
    {
        var errors = _stderr[process.Id];
        lock (errors)
        {
            return errors.ToString();
        }
    }

    private async Task WaitUntilReadyAsync(Process server, int httpPort)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        await Bounded.UntilAsync(() =>
        {
            Assert.False(server.HasExited, $"the published server exited: {(server.HasExited ? StderrOf(server) : "")}");
            try
            {
                using var response = http.GetAsync(new Uri($"http://127.0.0.1:{httpPort}/readyz")).GetAwaiter().GetResult();
                return response.IsSuccessStatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return false; // not listening yet
            }
        }, "the published server is ready", TimeSpan.FromSeconds(20));
    }
}
