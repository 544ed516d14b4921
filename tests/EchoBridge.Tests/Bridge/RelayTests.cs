using System.Text;
using EchoBridge.Contracts;
using EchoBridge.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace EchoBridge.Tests.Bridge;

public sealed class RelayTests
{
    private static readonly Dictionary<string, string?> PureEcho = new() { ["Listener:Telnet"] = "false" };

    [Fact]
    public async Task GetTargets_lists_echo_first_and_the_configured_targets_without_their_addresses()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Bridge:Targets:other:Host"] = "127.0.0.1",
            ["Bridge:Targets:other:Port"] = "7",
            ["Bridge:Targets:other:Description"] = "another echo",
        });
        await using var client = await BridgeClient.ConnectAsync(host);

        var targets = await client.Connection.InvokeAsync<List<TargetInfo>>(nameof(IBridgeHub.GetTargets)).Within();

        Assert.Equal(["echo", "other"], targets.Select(t => t.Name));
        Assert.Equal("another echo", targets[1].Description);
    }

    [Fact]
    public async Task A_thousand_lines_come_back_byte_for_byte_in_order()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await BridgeClient.ConnectAsync(host);
        var session = await client.OpenAsync();
        await using var frames = client.Receive(session.SessionId);

        var expected = new StringBuilder();
        for (var i = 1; i <= 1000; i++)
        {
            var line = $"line {i} of the bridge test\r\n";
            expected.Append(line);
            await client.SendAsync(session.SessionId, line);
        }

        var bytes = Encoding.UTF8.GetBytes(expected.ToString());
        Assert.Equal(bytes, await frames.ReadBytesAsync(bytes.Length));
        Assert.All(frames.Frames, frame => Assert.InRange(frame.Data.Length, 1, 16 * 1024));
    }

    [Fact]
    public async Task A_multi_byte_character_split_across_frames_decodes_with_a_streaming_decoder()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await BridgeClient.ConnectAsync(host);
        var session = await client.OpenAsync();
        await using var frames = client.Receive(session.SessionId);
        var euro = "€"u8.ToArray(); // E2 82 AC
        var decoder = Encoding.UTF8.GetDecoder();
        var text = new StringBuilder();

        await client.SendBytesAsync(session.SessionId, euro[..2]);
        var first = await frames.ReadBytesAsync(2);
        await client.SendBytesAsync(session.SessionId, euro[2..]);
        var second = await frames.ReadBytesAsync(1);

        Assert.Equal(2, frames.Frames.Count); // the character really was split across two frames
        foreach (var chunk in new[] { first, second })
        {
            var chars = new char[decoder.GetCharCount(chunk, flush: false)];
            decoder.GetChars(chunk, chars, flush: false);
            text.Append(chars);
        }

        Assert.Equal("€", text.ToString());
        Assert.NotEqual("€", Encoding.UTF8.GetString(first) + Encoding.UTF8.GetString(second)); // a naive decode breaks it
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Random_binary_sent_with_SendBytes_comes_back_exactly(bool messagePack)
    {
        await using var host = await TestHost.StartAsync(PureEcho);
        await using var client = await BridgeClient.ConnectAsync(host, messagePack);
        var session = await client.OpenAsync();
        await using var frames = client.Receive(session.SessionId);
        var random = new Random(42);
        var payload = new byte[256 * 1024];
        random.NextBytes(payload);

        var receiving = frames.ReadBytesAsync(payload.Length);
        for (var offset = 0; offset < payload.Length;)
        {
            var size = Math.Min(random.Next(1, 16 * 1024), payload.Length - offset);
            await client.SendBytesAsync(session.SessionId, payload[offset..(offset + size)]);
            offset += size;
        }

        var echoed = await receiving;
        Assert.True(payload.AsSpan().SequenceEqual(echoed));
    }

    [Fact]
    public async Task Twenty_hub_connections_with_four_sessions_each_relay_at_once()
    {
        await using var host = await TestHost.StartAsync();

        async Task RunConnection(int c)
        {
            await using var client = await BridgeClient.ConnectAsync(host);
            var sessions = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.OpenAsync()));
            await Task.WhenAll(sessions.Select(async (session, s) =>
            {
                await using var frames = client.Receive(session.SessionId);
                var expected = new StringBuilder();
                for (var i = 0; i < 25; i++)
                {
                    var line = $"c{c} s{s} #{i} ünïcødé\n";
                    expected.Append(line);
                    await client.SendAsync(session.SessionId, line);
                }

                var bytes = Encoding.UTF8.GetBytes(expected.ToString());
                Assert.Equal(bytes, await frames.ReadBytesAsync(bytes.Length, TimeSpan.FromSeconds(30)));
            }));
        }

        await Task.WhenAll(Enumerable.Range(0, 20).Select(RunConnection)).Within(TimeSpan.FromSeconds(60));

        Assert.Equal(80, host.Registry.GetTotals().TotalSessions);
        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 0, "every bridged listener session closed");
    }

    [Fact]
    public async Task The_listener_sees_a_bridge_session_as_a_linked_tcp_session_from_its_local_end_point()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await BridgeClient.ConnectAsync(host);

        var session = await client.OpenAsync();

        Assert.StartsWith("127.0.0.1:", session.LocalEndPoint, StringComparison.Ordinal);
        Assert.Equal(host.Tcp.ToString(), session.RemoteEndPoint);
        await Bounded.UntilAsync(() => host.Registry.Sessions.Any(s => s.BridgeSessionId == session.SessionId),
            "the listener session is linked");
        var listenerSession = Assert.Single(host.Registry.Sessions);
        Assert.Equal(SessionKind.Tcp, listenerSession.Kind);
        Assert.Equal(session.LocalEndPoint, listenerSession.Remote);
        Assert.Equal(session.SessionId, listenerSession.ToSummary().BridgeSessionId);
    }

    [Fact]
    public async Task When_the_listener_binds_any_the_echo_target_is_reached_on_loopback_and_still_linked()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:BindAddress"] = "any" });
        await using var client = await BridgeClient.ConnectAsync(host);

        var session = await client.OpenAsync();

        Assert.Equal($"127.0.0.1:{host.Tcp.Port}", session.RemoteEndPoint);
        await Bounded.UntilAsync(() => host.Registry.Sessions.Any(s => s.BridgeSessionId == session.SessionId),
            "the listener session is linked");
        Assert.Equal(session.LocalEndPoint, host.Registry.Sessions.Single().Remote);
    }

    [Fact]
    public async Task A_plain_telnet_client_is_not_linked()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await BridgeClient.ConnectAsync(host);
        await client.OpenAsync();
        using var telnet = await EchoClient.ConnectAsync(host.Tcp);

        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 2, "both sessions registered");
        await Bounded.UntilAsync(() => host.Registry.Sessions.Count(s => s.BridgeSessionId is not null) == 1, "the bridge one linked");
        Assert.Null(host.Registry.Sessions.Single(s => s.Remote == telnet.Socket.LocalEndPoint!.ToString()).BridgeSessionId);
    }

    [Fact]
    public async Task Quit_ends_the_stream_with_the_farewell_and_the_reason_quit()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await BridgeClient.ConnectAsync(host);
        var session = await client.OpenAsync();
        await using var frames = client.Receive(session.SessionId);

        await client.SendAsync(session.SessionId, "quit\r\n");
        var (data, reason) = await frames.ReadToEndAsync();

        Assert.Equal("quit\r\nGoodbye.\r\n", Encoding.UTF8.GetString(data));
        Assert.Equal("quit", reason);
        Assert.Empty(frames.Frames[^1].Data);
        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 0, "the listener session closed");
    }

    [Fact]
    public async Task An_operator_kick_ends_the_stream_with_that_reason()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await BridgeClient.ConnectAsync(host);
        var session = await client.OpenAsync();
        await using var frames = client.Receive(session.SessionId);
        await Bounded.UntilAsync(() => host.Registry.Sessions.Any(s => s.BridgeSessionId == session.SessionId), "linked");
        var listenerId = host.Registry.Sessions.Single().Id;

        await client.Connection.InvokeAsync(nameof(IBridgeHub.Disconnect), listenerId).Within();
        var (_, reason) = await frames.ReadToEndAsync();

        Assert.Equal("disconnected by an operator", reason);
    }

    [Fact]
    public async Task Close_ends_the_session_and_its_listener_session()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await BridgeClient.ConnectAsync(host);
        var session = await client.OpenAsync();
        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 1, "the listener session opened");

        await client.CloseAsync(session.SessionId);

        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 0, "the listener session closed", TimeSpan.FromSeconds(1));
        var error = await HubErrors.RefusalOf(() => client.SendAsync(session.SessionId, "hello"));
        Assert.Contains($"Unknown session '{session.SessionId}'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sending_to_a_session_the_target_closed_is_refused_with_the_reason()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await BridgeClient.ConnectAsync(host);
        var session = await client.OpenAsync();
        await client.SendAsync(session.SessionId, "quit\n");
        await Bounded.UntilAsync(() => host.Registry.GetTotals().TotalSessions == 1 && host.Registry.ActiveCount == 0, "the listener closed it");
        var bridge = host.Services.GetBridgeSessions();
        await Bounded.UntilAsync(() => bridge.Get(client.Connection.ConnectionId!, session.SessionId).EndReason is not null, "the pump saw the end");

        var error = await HubErrors.RefusalOf(() => client.SendAsync(session.SessionId, "hello"));

        Assert.Contains("is closed (quit)", error, StringComparison.Ordinal);
    }
}
