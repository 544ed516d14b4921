using System.Net;
using System.Net.Sockets;
using System.Text;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Bridge;

public sealed class EndReasonTests
{
    [Fact]
    public async Task The_echo_listeners_idle_timeout_ends_the_stream_with_its_notice_and_reason()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:IdleTimeoutSeconds"] = "1" });
        await using var client = await BridgeClient.ConnectAsync(host);
        var session = await client.OpenAsync();
        await using var frames = client.Receive(session.SessionId);

        var (data, reason) = await frames.ReadToEndAsync();

        Assert.Equal("idle timeout", reason);
        Assert.Contains("Idle for 1 s", Encoding.UTF8.GetString(data), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_target_that_closes_gracefully_ends_the_stream_with_closed_by_target()
    {
        using var target = Listen(out var port);
        await using var host = await StartWithTargetAsync(port);
        await using var client = await BridgeClient.ConnectAsync(host);
        var session = await client.OpenAsync("raw");
        await using var frames = client.Receive(session.SessionId);
        using var accepted = await target.AcceptAsync().Within();

        await accepted.SendAsync("welcome\n"u8.ToArray(), SocketFlags.None).Within();
        accepted.Shutdown(SocketShutdown.Both);
        var (data, reason) = await frames.ReadToEndAsync();

        Assert.Equal("welcome\n", Encoding.UTF8.GetString(data));
        Assert.Equal("closed by target", reason);
    }

    [Fact]
    public async Task A_target_that_resets_ends_the_stream_with_connection_reset()
    {
        using var target = Listen(out var port);
        await using var host = await StartWithTargetAsync(port);
        await using var client = await BridgeClient.ConnectAsync(host);
        var session = await client.OpenAsync("raw");
        await using var frames = client.Receive(session.SessionId);
        var accepted = await target.AcceptAsync().Within();

        accepted.LingerState = new LingerOption(true, 0); // close with RST, not FIN
        accepted.Dispose();
        var (data, reason) = await frames.ReadToEndAsync();

        Assert.Empty(data);
        Assert.Equal("connection reset", reason);
    }

    private static Socket Listen(out int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen();
        port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return socket;
    }

    private static Task<TestHost> StartWithTargetAsync(int port) => TestHost.StartAsync(new Dictionary<string, string?>
    {
        ["Bridge:Targets:raw:Host"] = "127.0.0.1",
        ["Bridge:Targets:raw:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Bridge:Targets:raw:Description"] = "a test socket",
    });
}
