using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Hosting;

/// <summary>The access token, configured or made up, never reaches a log, in any encoding; only the console URL shows it.</summary>
public sealed class TokenLoggingTests
{
    private const string Token = "s3cret-T0ken-for-logs";

    private static string PercentEncoded(string text, string format) =>
        string.Concat(Encoding.UTF8.GetBytes(text).Select(b => "%" + b.ToString(format, System.Globalization.CultureInfo.InvariantCulture)));

    private static List<string> LoggingArgs(int echoPort, int httpPort, string socketPath, string logFile)
    {
        var args = HostProcess.LoopbackArgs(echoPort, httpPort, socketPath);
        args.AddRange([
            "--EchoBridge:LogFormat=json",
            $"--EchoBridge:LogFile={logFile}",
            // Request logging and ASP.NET Core's own request lines (full URLs, query strings included) at Information.
            "--Serilog:MinimumLevel:Override:Microsoft.AspNetCore=Information",
            "--Serilog:MinimumLevel:Override:Microsoft=Information",
        ]);
        return args;
    }

    // Through a socket: HttpClient's Uri would turn %5F and %73 back into _ and s before sending.
    private static async Task<string> GetRawAsync(int port, string pathAndQuery)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).Within();
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {pathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n")).Within();
        var response = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer).Within()) > 0)
        {
            response.Write(buffer, 0, read);
        }

        return Encoding.ASCII.GetString(response.ToArray());
    }

    private static string ReadLogs(DirectoryInfo directory) =>
        string.Concat(directory.GetFiles().Select(f => File.ReadAllText(f.FullName)));

    [Fact]
    public async Task A_token_raw_or_percent_encoded_appears_nowhere_in_the_console_or_the_JSON_log()
    {
        var directory = Directory.CreateTempSubdirectory("eb-log-");
        try
        {
            var (echoPort, httpPort) = (FreePort.Tcp(), FreePort.Tcp());
            var socketPath = Path.Combine(Path.GetTempPath(), $"eb-{Guid.NewGuid():N}"[..11] + ".sock");
            var args = LoggingArgs(echoPort, httpPort, socketPath, Path.Combine(directory.FullName, "echobridge.log"));
            args.Add($"--EchoBridge:AccessToken={Token}");
            string stdout;
            await using (var server = HostProcess.Start(args))
            {
                await server.WaitUntilReadyAsync(httpPort);
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
                string[] paths =
                [
                    $"/metrics?access%5Ftoken={PercentEncoded(Token, "X2")}",
                    $"/metrics?ACCESS%5ftoken={PercentEncoded(Token, "x2")}&x=1",
                    $"/?access_token={Token}",
                    $"/nowhere?a=1&access_token={Uri.EscapeDataString(PercentEncoded(Token, "X2"))}", // encoded twice
                    $"/{PercentEncoded(Token, "X2")}",
                ];
                foreach (var path in paths)
                {
                    Assert.StartsWith("HTTP/1.1 ", await GetRawAsync(httpPort, path), StringComparison.Ordinal);
                }

                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
                using (await http.GetAsync("/metrics").Within())
                {
                }

                await Bounded.UntilAsync(() => Regex.Matches(server.Stdout, "\"RequestPath\":\"/metrics\"").Count >= 3, "the requests are logged");
                server.Signal(15);
                Assert.Equal(0, await server.WaitForExitAsync());
                stdout = server.Stdout;
            }

            var logs = ReadLogs(directory);
            Assert.Contains("/metrics", logs, StringComparison.Ordinal); // the requests were logged…
            Assert.Contains("Request starting", stdout, StringComparison.Ordinal); // …with ASP.NET Core's full URLs too
            foreach (var form in new[] { Token, PercentEncoded(Token, "X2"), PercentEncoded(Token, "x2"), "%73%33%63", "%2573" })
            {
                Assert.DoesNotContain(form, stdout, StringComparison.OrdinalIgnoreCase); // …but never the token
                Assert.DoesNotContain(form, logs, StringComparison.OrdinalIgnoreCase);
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Beyond_loopback_without_a_token_the_console_shows_the_URL_that_opens_the_dashboard_and_no_log_has_it()
    {
        var directory = Directory.CreateTempSubdirectory("eb-log-");
        try
        {
            var (echoPort, httpPort) = (FreePort.Tcp(), FreePort.Tcp());
            var socketPath = Path.Combine(Path.GetTempPath(), $"eb-{Guid.NewGuid():N}"[..11] + ".sock");
            var args = LoggingArgs(echoPort, httpPort, socketPath, Path.Combine(directory.FullName, "echobridge.log"));
            args.Add($"--Kestrel:Endpoints:Http:Url=http://0.0.0.0:{httpPort}");
            await using var server = HostProcess.Start(args);
            await server.WaitUntilReadyAsync(httpPort);
            await Bounded.UntilAsync(() => server.Stdout.Contains("?access_token=", StringComparison.Ordinal), "the URL is printed");

            var url = Regex.Match(server.Stdout, @"http://localhost:(\d+)/\?access_token=([0-9a-f]{48})");
            Assert.True(url.Success, server.Stdout);
            Assert.Equal(httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), url.Groups[1].Value);
            var token = url.Groups[2].Value;
            using var http = new HttpClient();
            using (var without = await http.GetAsync(new Uri($"http://localhost:{httpPort}/")).Within())
            {
                Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
            }

            using (var opened = await http.GetAsync(new Uri(url.Value)).Within())
            {
                Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
                Assert.Contains("echobridge_token=", string.Join(";", opened.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
            }

            server.Signal(15);
            Assert.Equal(0, await server.WaitForExitAsync());
            // Printed once, beside the log events, never as one: no JSON event and no log file line holds it.
            Assert.Single(Regex.Matches(server.Stdout, token));
            Assert.DoesNotContain(server.Stdout.Split('\n'), line => line.StartsWith('{') && line.Contains(token, StringComparison.Ordinal));
            Assert.DoesNotContain(token, ReadLogs(directory), StringComparison.Ordinal);
            Assert.Contains("made up for this run", ReadLogs(directory), StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
