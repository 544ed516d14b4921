using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.SignalR.Client;
using EchoBridge.Contracts;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Bridge;

public sealed class LifecycleTests
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Closing_the_hub_connection_closes_its_sessions_within_a_second()
    {
        await using var host = await TestHost.StartAsync();
        var client = await BridgeClient.ConnectAsync(host);
        for (var i = 0; i < 4; i++)
        {
            await client.OpenAsync();
        }

        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 4, "four listener sessions");

        await client.DisposeAsync();

        var bridge = host.Services.GetBridgeSessions();
        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 0 && bridge.Count == 0,
            "the bridge and listener sessions closed", OneSecond);
    }

    [Fact]
    public async Task A_dropped_hub_connection_closes_its_sessions_within_a_second()
    {
        await using var host = await TestHost.StartAsync();
        using var socket = new ClientWebSocket();
        var url = new UriBuilder(host.Url(BridgeHubRoute.Path)) { Scheme = "ws" }.Uri;
        await socket.ConnectAsync(url, CancellationToken.None).Within();
        await SendAsync(socket, """{"protocol":"json","version":1}""");
        Assert.Equal("{}", await ReceiveAsync(socket)); // handshake accepted
        for (var i = 1; i <= 4; i++)
        {
            await SendAsync(socket, $$"""{"type":1,"invocationId":"{{i}}","target":"Open","arguments":["echo"]}""");
            Assert.Contains("\"result\":{\"sessionId\":", await ReceiveAsync(socket), StringComparison.Ordinal);
        }

        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 4, "four listener sessions");

        socket.Abort(); // no close handshake: the network just went away

        var bridge = host.Services.GetBridgeSessions();
        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 0 && bridge.Count == 0,
            "the bridge and listener sessions closed", OneSecond);
    }

    [Fact]
    public async Task Stopping_the_server_closes_hub_connections_and_every_bridge_socket()
    {
        var host = await TestHost.StartAsync();
        var bridge = host.Services.GetBridgeSessions();
        var registry = host.Registry;
        await using var client = await BridgeClient.ConnectAsync(host);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        var session = await client.OpenAsync();
        await using var frames = client.Receive(session.SessionId);
        await client.SendAsync(session.SessionId, "hi");
        Assert.Equal("hi", await frames.ReadTextAsync(2));

        await host.DisposeAsync();

        await closed.Task.Within();
        Assert.Equal(0, bridge.Count);
        Assert.Equal(0, registry.ActiveCount);
    }

    [Fact]
    public async Task Stopping_the_server_with_every_kind_of_stream_open_takes_seconds_not_the_shutdown_timeout()
    {
        var host = await TestHost.StartAsync();
        await using var client = await BridgeClient.ConnectAsync(host);
        using var telnet = await EchoClient.ConnectAsync(host.Tcp);
        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 1, "the telnet session is open");
        var listenerSession = host.Registry.Sessions.Single().Id;
        using var streams = new CancellationTokenSource();
        var watch = client.Connection.StreamAsync<DashboardSnapshot>(nameof(IBridgeHub.Watch), streams.Token).GetAsyncEnumerator();
        var inspect = client.Connection.StreamAsync<TrafficFrame>(nameof(IBridgeHub.Inspect), listenerSession, streams.Token).GetAsyncEnumerator();
        Assert.True(await watch.MoveNextAsync().AsTask().Within());
        var session = await client.OpenAsync();
        await using var frames = client.Receive(session.SessionId);
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();

        await host.DisposeAsync().AsTask().Within(TimeSpan.FromSeconds(8));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {stopwatch.Elapsed}");
    }

    private static async Task SendAsync(ClientWebSocket socket, string message) =>
        await socket.SendAsync(Encoding.UTF8.GetBytes(message + "\u001e"), WebSocketMessageType.Text, true, CancellationToken.None).Within();

    private static async Task<string> ReceiveAsync(ClientWebSocket socket)
    {
        // Skip pings (type 6) and return the first other message, without its record separator.
        var buffer = new byte[4096];
        while (true)
        {
            var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None).Within();
            foreach (var message in Encoding.UTF8.GetString(buffer, 0, result.Count).Split('\u001e', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!message.Contains("\"type\":6", StringComparison.Ordinal))
                {
                    return message;
                }
            }
        }
    }
}
