using System.Globalization;
using System.Net;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Hosting;

/// <summary>The HTTP endpoint follows ASP.NET Core's URL settings, as in any ASP.NET Core app, and the echo is unaffected.</summary>
public sealed class UrlSettingsTests
{
    public static TheoryData<string> Ways => ["--urls", "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "--Kestrel:Endpoints:Web:Url"];

    [Theory]
    [MemberData(nameof(Ways))]
    public async Task Each_url_setting_moves_the_dashboard_and_the_echo_stays_on_its_port(string way)
    {
        var (echoPort, httpPort) = (FreePort.Tcp(), FreePort.Tcp());
        var socketPath = Path.Combine(Path.GetTempPath(), $"eb-{Guid.NewGuid():N}"[..11] + ".sock");
        var port = httpPort.ToString(CultureInfo.InvariantCulture);
        List<string> args = [$"--Listener:Port={echoPort}", "--Listener:BindAddress=127.0.0.1", $"--Listener:Unix:Path={socketPath}"];
        var environment = new Dictionary<string, string>();
        switch (way)
        {
            case "--urls":
                args.AddRange(["--urls", $"http://127.0.0.1:{port}"]);
                break;
            case "ASPNETCORE_URLS":
                environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
                break;
            case "ASPNETCORE_HTTP_PORTS":
                environment["ASPNETCORE_HTTP_PORTS"] = port;
                break;
            default:
                args.Add($"--Kestrel:Endpoints:Web:Url=http://127.0.0.1:{port}");
                break;
        }

        await using var server = HostProcess.Start(args, environment);
        await server.WaitUntilReadyAsync(httpPort);

        using var http = new HttpClient();
        Assert.Equal("Healthy", await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/readyz")).Within());
        using var echo = await EchoClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, echoPort));
        await echo.SendAsync("hola");
        Assert.Equal("hola"u8.ToArray(), await echo.ReceiveExactlyAsync(4));
    }
}
