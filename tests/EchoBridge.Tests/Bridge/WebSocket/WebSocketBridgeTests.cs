using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using EchoBridge.Bridge;
using EchoBridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EchoBridge.Tests.Bridge.WebSocket;

/// <summary>The websockify-compatible endpoint with .NET's ClientWebSocket and a raw TCP target.</summary>
public sealed class WebSocketBridgeTests
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task A_MiB_of_random_bytes_goes_both_ways_unchanged_whatever_the_frame_splits()
    {
        using var target = new RawTarget();
        await using var host = await TestHost.StartAsync(target.Settings());
        using var client = await WebSocketClients.ConnectAsync(host, "/websockify/raw", "binary");
        using var accepted = await target.AcceptAsync();
        var up = RandomBytes(MiB, 1);
        var down = RandomBytes(MiB, 2);

        Assert.Equal("binary", client.SubProtocol);
        var sending = SendInOddPiecesAsync(client, up);
        var targetSending = accepted.SendAsync(down, SocketFlags.None);
        var received = await RawTarget.ReadExactlyAsync(accepted, up.Length);
        var echoed = await client.ReceiveBytesAsync(down.Length);
        await sending.Within();
        await targetSending.Within();

        Assert.True(up.AsSpan().SequenceEqual(received), "the target got the client's bytes unchanged");
        Assert.True(down.AsSpan().SequenceEqual(echoed), "the client got the target's bytes unchanged");
    }

    [Fact]
    public async Task A_client_that_offers_no_subprotocol_is_served_in_binary_by_token_query()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:Telnet"] = "false" });
        using var client = await WebSocketClients.ConnectAsync(host, "/websockify?token=echo");
        var payload = RandomBytes(4000, 3);

        await client.SendAsync(payload, WebSocketMessageType.Binary, true, CancellationToken.None).Within();
        var echoed = await client.ReceiveBytesAsync(payload.Length);

        Assert.Null(client.SubProtocol);
        Assert.True(payload.AsSpan().SequenceEqual(echoed));
    }

    [Fact]
    public async Task Text_frames_reach_the_target_as_their_UTF8_bytes()
    {
        using var target = new RawTarget();
        await using var host = await TestHost.StartAsync(target.Settings());
        using var client = await WebSocketClients.ConnectAsync(host, "/websockify/raw", "binary");
        using var accepted = await target.AcceptAsync();
        var text = "hola, ¿qué tal? ✓";

        // One message in two text frames, then a second message: one stream of bytes at the target.
        var bytes = Encoding.UTF8.GetBytes(text);
        await client.SendAsync(bytes.AsMemory(0, 5), WebSocketMessageType.Text, false, CancellationToken.None).AsTask().Within();
        await client.SendAsync(bytes.AsMemory(5), WebSocketMessageType.Text, true, CancellationToken.None).AsTask().Within();
        await client.SendAsync("\n"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None).Within();

        Assert.Equal(text + "\n", Encoding.UTF8.GetString(await RawTarget.ReadExactlyAsync(accepted, bytes.Length + 1)));
    }

    [Theory]
    [InlineData("/websockify/nope", 404, "Unknown target 'nope'.")]
    [InlineData("/websockify?token=nope", 404, "Unknown target 'nope'.")]
    [InlineData("/websockify?token=127.0.0.1:22", 403, "Targets are chosen by name from the allow-list; a host or port is never taken from a client.")]
    [InlineData("/websockify/127.0.0.1%3A22", 403, "Targets are chosen by name from the allow-list; a host or port is never taken from a client.")]
    [InlineData("/websockify?token=localhost:9999", 403, "Targets are chosen by name from the allow-list; a host or port is never taken from a client.")]
    [InlineData("/websockify", 404, "No target given: use /websockify/<target> or /websockify?token=<target>.")]
    public async Task A_wrong_target_is_refused_before_the_upgrade_and_nothing_is_connected(string path, int status, string reason)
    {
        await using var host = await TestHost.StartAsync();
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        using var http = new HttpClient();

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(WebSocketClients.Url(host, path), CancellationToken.None).Within());
        using var response = await http.GetAsync(host.Url(path)).Within();

        Assert.Equal(status, (int)socket.HttpStatusCode);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(reason, await response.Content.ReadAsStringAsync());
        Assert.Equal(0, host.Registry.GetTotals().TotalSessions);
        Assert.Equal(0, host.Services.GetRequiredService<BridgeRelay>().Count);
    }

    [Fact]
    public async Task A_default_target_serves_clients_that_name_none()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Bridge:WebSocket:DefaultTarget"] = "echo" });
        using var client = await WebSocketClients.ConnectAsync(host, "/websockify");

        await client.SendAsync("hi\n"u8.ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None).Within();

        Assert.Equal("hi\n", Encoding.UTF8.GetString(await client.ReceiveBytesAsync(3)));
    }

    [Fact]
    public async Task A_cross_site_origin_is_refused_with_403_and_the_same_origin_passes()
    {
        await using var host = await TestHost.StartAsync();
        using var evil = new ClientWebSocket();
        evil.Options.CollectHttpResponseDetails = true;
        evil.Options.SetRequestHeader("Origin", "http://evil.example");
        using var own = new ClientWebSocket();
        own.Options.SetRequestHeader("Origin", host.Http.GetLeftPart(UriPartial.Authority));

        await Assert.ThrowsAsync<WebSocketException>(() => evil.ConnectAsync(WebSocketClients.Url(host, "/websockify/echo"), CancellationToken.None).Within());
        await own.ConnectAsync(WebSocketClients.Url(host, "/websockify/echo"), CancellationToken.None).Within();

        Assert.Equal(HttpStatusCode.Forbidden, evil.HttpStatusCode);
        Assert.Equal(WebSocketState.Open, own.State);
        await Bounded.UntilAsync(() => host.Registry.GetTotals().TotalSessions == 1, "the allowed one reached the listener");
        Assert.Equal(1, host.Services.GetRequiredService<BridgeRelay>().Count); // and only it
    }

    [Fact]
    public async Task With_an_access_token_set_the_endpoint_requires_it()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["EchoBridge:AccessToken"] = "s3cret" });
        using var without = new ClientWebSocket();
        without.Options.CollectHttpResponseDetails = true;
        using var bearer = new ClientWebSocket();
        bearer.Options.SetRequestHeader("Authorization", "Bearer s3cret");

        await Assert.ThrowsAsync<WebSocketException>(() => without.ConnectAsync(WebSocketClients.Url(host, "/websockify/echo"), CancellationToken.None).Within());
        using var query = await WebSocketClients.ConnectAsync(host, "/websockify?token=echo&access_token=s3cret");
        await bearer.ConnectAsync(WebSocketClients.Url(host, "/websockify/echo"), CancellationToken.None).Within();

        Assert.Equal(HttpStatusCode.Unauthorized, without.HttpStatusCode);
        Assert.Equal(WebSocketState.Open, query.State);
        Assert.Equal(WebSocketState.Open, bearer.State);
    }

    [Fact]
    public async Task A_target_that_refuses_closes_the_WebSocket_with_1011_naming_it()
    {
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0)); // bound, never listening: connects are refused
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Bridge:Targets:down:Host"] = "127.0.0.1",
            ["Bridge:Targets:down:Port"] = ((IPEndPoint)closed.LocalEndPoint!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var client = await WebSocketClients.ConnectAsync(host, "/websockify/down");

        var (status, reason, _) = await client.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.InternalServerError, status);
        Assert.Equal("Target 'down' refused the connection.", reason);
        await Bounded.UntilAsync(() => host.Services.GetRequiredService<ClientConnections>().Count == 0, "the connection is released");
    }

    [Fact]
    public async Task A_target_that_closes_ends_the_WebSocket_with_1000_after_its_last_bytes()
    {
        using var target = new RawTarget();
        await using var host = await TestHost.StartAsync(target.Settings());
        using var client = await WebSocketClients.ConnectAsync(host, "/websockify/raw");
        using (var accepted = await target.AcceptAsync())
        {
            await accepted.SendAsync("bye\n"u8.ToArray(), SocketFlags.None).Within();
            accepted.Shutdown(SocketShutdown.Both);
        }

        var (status, reason, bytes) = await client.ReceiveCloseAsync();

        Assert.Equal(4, bytes);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, status);
        Assert.Equal("closed by target", reason);
        await Bounded.UntilAsync(() => host.Services.GetRequiredService<BridgeRelay>().Count == 0, "the session is forgotten");
    }

    [Fact]
    public async Task The_echo_listeners_quit_closes_the_WebSocket_with_its_reason()
    {
        await using var host = await TestHost.StartAsync();
        using var client = await WebSocketClients.ConnectAsync(host, "/websockify/echo");

        await client.SendAsync("quit\r\n"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None).Within();
        var (status, reason, _) = await client.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.NormalClosure, status);
        Assert.Equal("quit", reason);
    }

    [Fact]
    public async Task A_client_that_vanishes_has_its_target_socket_closed_within_a_second()
    {
        using var target = new RawTarget();
        await using var host = await TestHost.StartAsync(target.Settings());
        var client = await WebSocketClients.ConnectAsync(host, "/websockify/raw");
        using var accepted = await target.AcceptAsync();

        client.Abort(); // no close handshake: the network just went away
        client.Dispose();

        await RawTarget.WaitForEndAsync(accepted, TimeSpan.FromSeconds(1));
        await Bounded.UntilAsync(() => host.Services.GetRequiredService<BridgeRelay>().Count == 0, "the session is forgotten", TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_client_that_closes_has_its_target_socket_closed_and_gets_the_close_answered()
    {
        using var target = new RawTarget();
        await using var host = await TestHost.StartAsync(target.Settings());
        using var client = await WebSocketClients.ConnectAsync(host, "/websockify/raw");
        using var accepted = await target.AcceptAsync();

        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).Within();

        Assert.Equal(WebSocketState.Closed, client.State);
        await RawTarget.WaitForEndAsync(accepted, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_client_that_never_reads_stops_the_target_being_read_and_is_closed_by_the_send_timeout()
    {
        using var target = new RawTarget();
        await using var host = await TestHost.StartAsync(target.Settings(new Dictionary<string, string?> { ["Bridge:SendTimeoutSeconds"] = "1" }));
        using var client = await WebSocketClients.ConnectAsync(host, "/websockify/raw");
        using var accepted = await target.AcceptAsync();
        accepted.SendBufferSize = 64 * 1024;
        var chunk = new byte[64 * 1024];
        long pushed = 0;
        var clock = Stopwatch.StartNew();

        // The target writes as fast as it can; nobody reads the WebSocket. The bridge stops reading the target, so
        // the target's writes stall after what the buffers on the way hold, and the session is closed.
        try
        {
            using var cut = new CancellationTokenSource(TimeSpan.FromSeconds(8));
            while (true)
            {
                pushed += await accepted.SendAsync(chunk, SocketFlags.None, cut.Token);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            // reset by the bridge closing its socket (or the bound, which fails below)
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(7), $"the session was not closed (the target pushed {pushed} bytes in {clock.Elapsed})");
        Assert.InRange(pushed, 1, 64L * MiB); // the kernel buffers on both sides, the pump's one read: not the target's whole stream
        await Bounded.UntilAsync(() => host.Services.GetRequiredService<BridgeRelay>().Count == 0, "the session is forgotten");
        Assert.Equal(WebSocketState.Aborted, await StateAfterReadingAsync(client));
    }

    [Fact]
    public async Task A_session_without_traffic_is_closed_after_the_idle_timeout()
    {
        using var target = new RawTarget();
        await using var host = await TestHost.StartAsync(target.Settings(new Dictionary<string, string?> { ["Bridge:WebSocket:IdleTimeoutSeconds"] = "0.5" }));
        using var client = await WebSocketClients.ConnectAsync(host, "/websockify/raw");
        using var accepted = await target.AcceptAsync();

        var (status, reason, _) = await client.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.NormalClosure, status);
        Assert.Equal("idle timeout", reason);
        await RawTarget.WaitForEndAsync(accepted, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_client_that_stops_answering_pings_is_dropped_and_its_target_socket_closed()
    {
        using var target = new RawTarget();
        await using var host = await TestHost.StartAsync(target.Settings(new Dictionary<string, string?> { ["Bridge:WebSocket:KeepAliveSeconds"] = "0.3" }));
        // A raw socket that does the upgrade and then never answers anything: a client whose machine went away.
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await silent.ConnectAsync(new IPEndPoint(IPAddress.Loopback, host.Http.Port)).Within();
        var upgrade = $"GET /websockify/raw HTTP/1.1\r\nHost: {host.Http.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await silent.SendAsync(Encoding.ASCII.GetBytes(upgrade), SocketFlags.None).Within();
        using var accepted = await target.AcceptAsync();
        var head = new byte[1024];
        var read = await silent.ReceiveAsync(head, SocketFlags.None).Within();
        Assert.StartsWith("HTTP/1.1 101", Encoding.ASCII.GetString(head, 0, read), StringComparison.Ordinal);

        await RawTarget.WaitForEndAsync(accepted, TimeSpan.FromSeconds(3));
    }

    private static async Task<WebSocketState> StateAfterReadingAsync(ClientWebSocket client)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while ((await client.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).Within()).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (WebSocketException)
        {
            // what an aborted connection looks like from here
        }

        return client.State;
    }

    private static async Task SendInOddPiecesAsync(ClientWebSocket client, byte[] data)
    {
        // Odd sizes, messages split over frames, and frames that each hold several "messages" of the stream.
        var random = new Random(5);
        for (var offset = 0; offset < data.Length;)
        {
            var size = Math.Min(random.Next(1, 7919), data.Length - offset);
            var last = random.Next(3) != 0 || offset + size == data.Length;
            await client.SendAsync(data.AsMemory(offset, size), WebSocketMessageType.Binary, last, CancellationToken.None);
            offset += size;
        }
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
