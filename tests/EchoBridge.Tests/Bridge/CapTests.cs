using System.Net.WebSockets;
using EchoBridge.Bridge;
using EchoBridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EchoBridge.Tests.Bridge;

/// <summary>Issue 11's caps on the bridge's front doors: every one hit, refused at once in words, counted by reason.</summary>
public sealed class CapTests
{
    private const string PerAddress = "Too many connections from your address: at most 2 hub and WebSocket connections per address. Close some first.";
    private const string InAll = "Too many connections: the server takes at most 2 hub and WebSocket connections. Try again later.";

    [Fact]
    public async Task Hub_connections_per_address_are_capped_and_a_refused_client_reads_why()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Bridge:MaxClientConnectionsPerAddress"] = "2" });
        await using var first = await BridgeClient.ConnectAsync(host);
        await using var second = await BridgeClient.ConnectAsync(host);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => BridgeClient.ConnectAsync(host));
        using var http = new HttpClient();
        using var negotiate = await http.PostAsync(host.Url("/hubs/bridge/negotiate?negotiateVersion=1"), null).Within();

        Assert.Contains(PerAddress, error.Message, StringComparison.Ordinal);
        Assert.Equal(503, (int)negotiate.StatusCode);
        Assert.Equal(PerAddress, await negotiate.Content.ReadAsStringAsync());
        Assert.Equal(2, Refused(host, "client connection limit per address reached"));
    }

    [Fact]
    public async Task Client_connections_in_all_are_one_budget_for_the_hub_and_the_WebSocket()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Bridge:MaxClientConnections"] = "2" });
        await using var hub = await BridgeClient.ConnectAsync(host);
        using var webSocket = await WebSocketClients.ConnectAsync(host, "/websockify/echo");
        using var refused = new ClientWebSocket();
        refused.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(WebSocketClients.Url(host, "/websockify/echo"), CancellationToken.None).Within());
        var hubError = await Assert.ThrowsAsync<HttpRequestException>(() => BridgeClient.ConnectAsync(host));

        Assert.Equal(503, (int)refused.HttpStatusCode);
        Assert.Contains(InAll, hubError.Message, StringComparison.Ordinal);
        Assert.Equal(2, Refused(host, "client connection limit reached"));

        // One leaves: one more is admitted.
        await webSocket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None).Within();
        await Bounded.UntilAsync(() => host.Services.GetRequiredService<ClientConnections>().Count == 1, "the WebSocket is released");
        await using var again = await BridgeClient.ConnectAsync(host);
    }

    [Fact]
    public async Task WebSocket_connections_per_address_are_capped_with_503_and_the_reason()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Bridge:MaxClientConnectionsPerAddress"] = "2" });
        using var first = await WebSocketClients.ConnectAsync(host, "/websockify/echo");
        using var second = await WebSocketClients.ConnectAsync(host, "/websockify/echo");
        await Bounded.UntilAsync(() => host.Registry.GetTotals().TotalSessions == 2, "both reached the listener");
        // The listener can see a socket before the relay has registered its session (the connect completes first).
        await Bounded.UntilAsync(() => host.Services.GetRequiredService<BridgeRelay>().Count == 2, "the relay has both");
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, host.Url("/websockify/echo"));
        request.Headers.Add("Connection", "Upgrade");
        request.Headers.Add("Upgrade", "websocket");
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");

        using var response = await http.SendAsync(request).Within();

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal(PerAddress, await response.Content.ReadAsStringAsync());
        Assert.Equal(PerAddress, response.ReasonPhrase);
        Assert.Equal(2, host.Services.GetRequiredService<BridgeRelay>().Count); // the refused one connected nothing
    }

    [Fact]
    public async Task Bridge_sessions_in_all_are_capped_across_both_front_doors()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Bridge:MaxSessions"] = "1" });
        await using var hub = await BridgeClient.ConnectAsync(host);
        await hub.OpenAsync();
        using var webSocket = await WebSocketClients.ConnectAsync(host, "/websockify/echo");

        var (status, reason, _) = await webSocket.ReceiveCloseAsync();
        var hubError = await HubErrors.RefusalOf(() => hub.OpenAsync());

        const string Expected = "Bridge session limit reached: the server has 1 bridge sessions open. Try again later.";
        Assert.Equal((WebSocketCloseStatus)1013, status);
        Assert.Equal(Expected, reason);
        Assert.Equal(Expected, hubError);
        Assert.Equal(2, Refused(host, "bridge session limit reached"));
        Assert.Equal(1, host.Services.GetRequiredService<BridgeRelay>().Count);
    }

    private static long Refused(TestHost host, string reason) =>
        host.Registry.RefusedByReason.FirstOrDefault(pair => pair.Key == reason).Value;
}
