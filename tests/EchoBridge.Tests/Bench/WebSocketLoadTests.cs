extern alias bench;

using System.Net.WebSockets;
using bench::EchoBridge.Bench.Cli;
using bench::EchoBridge.Bench.Load;
using EchoBridge.Bridge;
using EchoBridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EchoBridge.Tests.Bench;

/// <summary>The bench's WebSocket load against the real <c>/websockify</c> endpoint, and its URL parsing.</summary>
public sealed class WebSocketLoadTests
{
    [Theory]
    [InlineData(64)]
    [InlineData(16384)] // more than the server reads at once: the echo comes back in several messages
    public async Task A_websocket_loop_echoes_through_websockify_intact(int size)
    {
        await using var host = await TestHost.StartAsync();
        var messages = new MessageSet(size);
        await using var loop = await WebSocketEchoLoop.OpenAsync(EchoUrl(host), messages, CancellationToken.None).Within();

        for (var seq = 0; seq < 30; seq++)
        {
            Assert.Equal(EchoOutcome.Intact, await loop.EchoOnceAsync(seq).Within());
        }

        Assert.True(loop.IsOpenAndQuiet());
        Assert.Equal(1, host.Services.GetRequiredService<BridgeRelay>().Count);
    }

    [Fact]
    public async Task An_unknown_target_fails_the_open_with_the_servers_status()
    {
        await using var host = await TestHost.StartAsync();

        var refused = await Assert.ThrowsAsync<WebSocketException>(() =>
            WebSocketEchoLoop.OpenAsync(WebSocketUrl.On(host.Http, "websockify?token=nope"), new MessageSet(64), CancellationToken.None).Within());

        Assert.Contains("404", refused.Message, StringComparison.Ordinal);
        Assert.True(ClosedLoop.IsConnectionFailure(refused));
    }

    [Fact]
    public async Task An_idle_websocket_keeps_answering_the_servers_pings_and_one_that_is_not_read_is_dropped()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Bridge:WebSocket:KeepAliveSeconds"] = "0.2" });
        var relay = host.Services.GetRequiredService<BridgeRelay>();
        var messages = new MessageSet(64);
        await using var idle = await WebSocketEchoLoop.OpenAsync(EchoUrl(host), messages, CancellationToken.None).Within();
        await using var unread = await WebSocketEchoLoop.OpenAsync(EchoUrl(host), messages, CancellationToken.None).Within();
        Assert.Equal(EchoOutcome.Intact, await idle.EchoOnceAsync(0).Within());
        Assert.Equal(EchoOutcome.Intact, await unread.EchoOnceAsync(1).Within());

        idle.BeginIdle();

        // Without a posted read nobody answers the pings: the server drops that one after a keep-alive or two.
        await Bounded.UntilAsync(() => relay.Count == 1, "the server dropped the WebSocket that nobody read");
        Assert.True(idle.IsOpenAndQuiet());
    }

    [Fact]
    public async Task An_idle_websocket_the_server_closed_is_not_open_and_quiet()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Bridge:WebSocket:IdleTimeoutSeconds"] = "0.3" });
        await using var loop = await WebSocketEchoLoop.OpenAsync(EchoUrl(host), new MessageSet(64), CancellationToken.None).Within();
        Assert.Equal(EchoOutcome.Intact, await loop.EchoOnceAsync(0).Within());

        loop.BeginIdle();

        Assert.True(loop.IsOpenAndQuiet());
        await Bounded.UntilAsync(() => !loop.IsOpenAndQuiet(), "the idle timeout's close is seen");
    }

    [Theory]
    [InlineData("ws://127.0.0.1:8080/websockify?token=echo")]
    [InlineData("wss://bridge.example/websockify/echo")]
    [InlineData("ws://[::1]:6080/")]
    public void A_websocket_url_is_ws_or_wss(string text)
    {
        Assert.Equal(new Uri(text), WebSocketUrl.Parse(text, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/websockify")]
    [InlineData("127.0.0.1:8080")]
    [InlineData("/websockify?token=echo")]
    [InlineData("ws://127.0.0.1:8080/websockify#echo")]
    [InlineData("")]
    public void A_url_that_is_not_a_websocket_one_says_what_one_is(string text)
    {
        Assert.Null(WebSocketUrl.Parse(text, out var error));
        Assert.Contains("ws:// or wss://", error, StringComparison.Ordinal);
        Assert.Contains($"'{text}'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/", "websockify?token=echo", "ws://127.0.0.1:5000/websockify?token=echo")]
    [InlineData("https://bridge.example/", "websockify/echo", "wss://bridge.example/websockify/echo")]
    public void A_servers_http_address_gives_its_websocket_url(string http, string path, string expected) =>
        Assert.Equal(new Uri(expected), WebSocketUrl.On(new Uri(http), path));

    private static Uri EchoUrl(TestHost host) => WebSocketUrl.On(host.Http, "websockify?token=echo");
}
