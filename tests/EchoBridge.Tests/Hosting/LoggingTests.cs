using System.Net;
using System.Text.Json;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Hosting;

public sealed class LoggingTests
{
    [Fact]
    public async Task Json_logs_are_one_event_per_line_with_the_session_lifecycle_as_properties_and_no_traffic()
    {
        var (echoPort, httpPort) = (FreePort.Tcp(), FreePort.Tcp());
        var socketPath = Path.Combine(Path.GetTempPath(), $"eb-{Guid.NewGuid():N}"[..11] + ".sock");
        var args = HostProcess.LoopbackArgs(echoPort, httpPort, socketPath);
        args.Add("--EchoBridge:LogFormat=json");
        await using var server = HostProcess.Start(args);
        await server.WaitUntilReadyAsync(httpPort);

        using (var client = await EchoClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, echoPort)))
        {
            await client.SendAsync("a-private-payload\nquit\n");
            await client.ReceiveToEndAsync();
        }

        await Bounded.UntilAsync(() => server.Stdout.Contains("closed", StringComparison.Ordinal), "the close is logged");
        var events = server.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var opened = events.Single(e => e.GetProperty("@m").GetString()!.Contains("opened", StringComparison.Ordinal));
        var closed = events.Single(e => e.GetProperty("@m").GetString()!.Contains("closed", StringComparison.Ordinal));
        Assert.Equal("Tcp", opened.GetProperty("Kind").GetString());
        Assert.StartsWith("127.0.0.1:", opened.GetProperty("Remote").GetString(), StringComparison.Ordinal);
        Assert.Equal(opened.GetProperty("SessionId").GetInt64(), closed.GetProperty("SessionId").GetInt64());
        Assert.Equal("quit", closed.GetProperty("Reason").GetString());
        Assert.Equal(23, closed.GetProperty("BytesIn").GetInt64());
        Assert.True(closed.TryGetProperty("DurationSeconds", out _));
        Assert.DoesNotContain("a-private-payload", server.Stdout, StringComparison.Ordinal);
    }
}
