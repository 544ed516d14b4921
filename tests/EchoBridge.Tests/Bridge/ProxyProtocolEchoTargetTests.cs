using System.Net.WebSockets;
using System.Text;
using EchoBridge.Contracts;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Bridge;

/// <summary>
/// Behind a load balancer (<c>Listener:ProxyProtocol=true</c>, as compose.yaml runs it) the listener reads a PROXY header
/// first: the bridge's own connection to <c>echo</c> sends one (v2 LOCAL) and is still linked to its bridge session.
/// </summary>
public sealed class ProxyProtocolEchoTargetTests
{
    private static Task<TestHost> StartAsync() =>
        TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:ProxyProtocol"] = "true" });

    [Fact]
    public async Task A_hub_bridge_session_to_echo_echoes_and_is_linked_when_the_listener_expects_a_PROXY_header()
    {
        await using var host = await StartAsync();
        await using var hub = await BridgeClient.ConnectAsync(host);

        var session = await hub.OpenAsync();
        await using var frames = hub.Receive(session.SessionId);
        await hub.SendAsync(session.SessionId, "behind a balancer");

        Assert.Equal("behind a balancer", await frames.ReadTextAsync(17));
        var listenerSide = Assert.Single(host.Registry.Sessions);
        Assert.Equal(session.SessionId, listenerSide.BridgeSessionId);
        Assert.Equal(session.LocalEndPoint, listenerSide.Remote);
        Assert.Empty(host.Registry.RefusedByReason);
    }

    [Fact]
    public async Task A_websockify_session_to_echo_echoes_when_the_listener_expects_a_PROXY_header()
    {
        await using var host = await StartAsync();
        using var client = await WebSocketClients.ConnectAsync(host, "/websockify?token=echo");

        await client.SendAsync("over websockify"u8.ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None).Within();

        Assert.Equal("over websockify", Encoding.UTF8.GetString(await client.ReceiveBytesAsync(15)));
    }
}
