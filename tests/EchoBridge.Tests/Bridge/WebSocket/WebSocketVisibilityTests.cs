using System.Globalization;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using EchoBridge.Contracts;
using EchoBridge.Tests.Infrastructure;
using EchoBridge.Tests.Telemetry;

namespace EchoBridge.Tests.Bridge.WebSocket;

/// <summary>A WebSocket bridge session on the dashboard and in /metrics (alone: metrics are process-wide).</summary>
[Collection(nameof(MetricsTests))]
public sealed class WebSocketVisibilityTests
{
    [Fact]
    public async Task A_WebSocket_session_to_echo_is_a_linked_websocket_session_on_the_dashboard_and_in_metrics()
    {
        await using var host = await TestHost.StartAsync();
        using var client = await WebSocketClients.ConnectAsync(host, "/websockify/echo");
        await client.SendAsync("hola\n"u8.ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None).Within();
        await client.ReceiveBytesAsync(5);

        var snapshot = host.Services.GetDashboardFeed().Compute();
        using var http = new HttpClient();
        var scrape = await http.GetStringAsync(host.Url("/metrics")).Within();

        var session = Assert.Single(snapshot.Sessions);
        Assert.Equal(SessionKind.Tcp, session.Kind);
        Assert.Equal("websocket", session.BridgeVia);
        Assert.StartsWith("b", session.BridgeSessionId, StringComparison.Ordinal);
        Assert.Equal(5, session.BytesIn);
        Assert.Contains(snapshot.Endpoints, e => e.Protocol == "websocket" && e.Address == "/websockify");
        Assert.Equal(1, Sample(scrape, "echobridge_bridge_sessions_active", "via=\"websocket\""));
        Assert.Equal(0, Sample(scrape, "echobridge_bridge_sessions_active", "via=\"hub\""));
        Assert.Equal(1, Sample(scrape, "echobridge_bridge_sessions_total", "via=\"websocket\""));
    }

    private static double Sample(string scrape, string name, string label)
    {
        var match = Regex.Match(scrape, "^" + Regex.Escape(name) + @"\{([^}]*" + Regex.Escape(label) + @"[^}]*)\}\s+(\S+)", RegexOptions.Multiline);
        Assert.True(match.Success, $"no sample of {name} with {label} in:\n{scrape}");
        return double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
    }
}
