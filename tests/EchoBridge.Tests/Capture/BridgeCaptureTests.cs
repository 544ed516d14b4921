using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using EchoBridge.Bridge;
using EchoBridge.Capture;
using EchoBridge.Contracts;
using EchoBridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EchoBridge.Tests.Capture;

/// <summary>
/// Bridge sessions (hub and WebSocket) to a raw TCP target, exported and read back by tshark: the bridge's socket is the
/// client, the target the server, what the browser sent is "in" and what the target sent is "out".
/// </summary>
public sealed class BridgeCaptureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eb-bridge-capture-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CaptureStore Store(TestHost host) => host.Services.GetRequiredService<CaptureStore>();

    private static DashboardSnapshot Snapshot(TestHost host) => host.Services.GetRequiredService<DashboardFeed>().Compute();

    private static Task WaitClosedAsync(TestHost host, string id) =>
        Bounded.UntilAsync(() => Store(host).TryGet(id, out var r) && r.ClosedAt is not null, $"bridge session {id} closed");

    private async Task<string> DownloadAsync(TestHost host, string path)
    {
        using var http = new HttpClient();
        var file = Path.Combine(_dir, Guid.NewGuid().ToString("N") + Path.GetExtension(path));
        await File.WriteAllBytesAsync(file, await http.GetByteArrayAsync(host.Url(path)).Within());
        return file;
    }

    private static async Task<List<JsonElement>> ChunksAsync(TestHost host, string id, string dir)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(host.Url($"/api/sessions/{id}/capture.jsonl")).Within();
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(l => l.GetProperty("type").GetString() == "chunk" && l.GetProperty("dir").GetString() == dir)];
    }

    private static byte[] Concat(IEnumerable<JsonElement> chunks) =>
        [.. chunks.SelectMany(c => c.GetProperty("data").GetBytesFromBase64())];

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task A_hub_session_to_a_TCP_target_opens_in_tshark_as_the_bridges_real_conversation_with_it()
    {
        using var target = new RawTarget();
        await using var host = await TestHost.StartAsync(target.Settings());
        await using var client = await BridgeClient.ConnectAsync(host);
        var session = await client.OpenAsync(target.Name);
        using var accepted = await target.AcceptAsync();
        await using var frames = client.Receive(session.SessionId);

        // Split sends of odd sizes up, the target's own writes down, then the target hangs up.
        var sends = new[] { RandomBytes(1, 1), RandomBytes(99, 2), RandomBytes(16 * 1024, 3), RandomBytes(5000, 4) };
        foreach (var send in sends)
        {
            await client.SendBytesAsync(session.SessionId, send);
        }

        var up = sends.SelectMany(s => s).ToArray();
        Assert.Equal(up, await RawTarget.ReadExactlyAsync(accepted, up.Length));
        var down = RandomBytes(40_000, 5);
        foreach (var (offset, length) in new[] { (0, 7), (7, 20_000), (20_007, 19_993) })
        {
            await accepted.SendAsync(down.AsMemory(offset, length), SocketFlags.None).AsTask().Within();
        }

        Assert.Equal(down, await frames.ReadBytesAsync(down.Length));
        Assert.Contains(Snapshot(host).Bridges!, b => b.Id == session.SessionId && b.ClosedAt is null && b.BytesIn == up.Length);
        Assert.DoesNotContain(Snapshot(host).Sessions, s => s.BridgeSessionId == session.SessionId); // not a listener session
        accepted.Shutdown(SocketShutdown.Both);
        accepted.Close();
        var (_, reason) = await frames.ReadToEndAsync();
        await WaitClosedAsync(host, session.SessionId);

        var file = await DownloadAsync(host, $"/api/sessions/{session.SessionId}/capture.pcapng");
        var (fromClient, fromServer) = await Tshark.FollowTcpAsync(file);
        Assert.Equal(up, fromClient);
        Assert.Equal(down, fromServer);
        var ports = await Tshark.RunAsync("tshark", "-r", file, "-T", "fields", "-e", "tcp.srcport", "-e", "tcp.dstport", "-c", "1");
        Assert.Equal($"{IPEndPoint.Parse(session.LocalEndPoint).Port}\t{target.Port}", ports.Trim());
        var comments = await Tshark.RunAsync("tshark", "-r", file, "-T", "fields", "-e", "frame.comment");
        Assert.Contains($"EchoBridge session {session.SessionId}: TCP {session.LocalEndPoint} -> 127.0.0.1:{target.Port}", comments);
        Assert.Contains("via hub to target 'raw' for hub connection", comments);
        Assert.Contains($"closed: {reason}", comments);
        var flags = await Tshark.RunAsync("tshark", "-r", file, "-Y", "tcp.analysis.flags && !tcp.analysis.window_update", "-T", "fields", "-e", "frame.number");
        Assert.Equal("", flags.Trim());

        // Every send is one "in" chunk; every read of the target (one frame each) one "out" chunk.
        var ins = await ChunksAsync(host, session.SessionId, "in");
        Assert.Equal(sends.Select(s => s.Length), ins.Select(c => c.GetProperty("length").GetInt32()));
        Assert.Equal(up, Concat(ins));
        var outs = await ChunksAsync(host, session.SessionId, "out");
        Assert.Equal(frames.Frames.Count(f => f.Data.Length > 0), outs.Count);
        Assert.Equal(down, Concat(outs));

        // Closed, it stays listed and exportable for the retention time.
        var closed = Assert.Single(Snapshot(host).Bridges!, b => b.Id == session.SessionId);
        Assert.Equal((reason, up.Length, (long)down.Length), (closed.CloseReason, (int)closed.BytesIn, closed.BytesOut));
        Assert.NotNull(closed.ClosedAt);
    }

    [Fact]
    public async Task A_websockify_session_is_recorded_and_stays_exportable_until_retention_drops_it()
    {
        using var target = new RawTarget();
        await using var host = await TestHost.StartAsync(target.Settings(new Dictionary<string, string?>
        {
            ["Capture:RetainClosedSessions"] = "1",
        }));
        var ids = new List<string>();
        byte[] up = [], down = [];
        for (var round = 0; round < 2; round++)
        {
            using var client = await WebSocketClients.ConnectAsync(host, "/websockify/raw", "binary");
            using var accepted = await target.AcceptAsync();
            var relay = host.Services.GetRequiredService<BridgeRelay>();
            await Bounded.UntilAsync(() => relay.Sessions.Any(s => !ids.Contains(s.Id)), "the relay has the new session");
            var id = relay.Sessions.Single(s => !ids.Contains(s.Id)).Id;
            ids.Add(id);
            up = RandomBytes(3000 + round, 10 + round);
            down = RandomBytes(7000 + round, 20 + round);
            await client.SendAsync(up.AsMemory(0, 1000), WebSocketMessageType.Binary, true, CancellationToken.None).AsTask().Within();
            await client.SendAsync(up.AsMemory(1000), WebSocketMessageType.Binary, true, CancellationToken.None).AsTask().Within();
            Assert.Equal(up, await RawTarget.ReadExactlyAsync(accepted, up.Length));
            await accepted.SendAsync(down, SocketFlags.None).Within();
            Assert.Equal(down, await client.ReceiveBytesAsync(down.Length));

            // The browser leaves: the bridge closes the target's socket first.
            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).Within();
            await RawTarget.WaitForEndAsync(accepted, Bounded.Step);
            await WaitClosedAsync(host, id);
            var file = await DownloadAsync(host, $"/api/sessions/{id}/capture.pcapng");
            var (fromClient, fromServer) = await Tshark.FollowTcpAsync(file);
            Assert.Equal(up, fromClient);
            Assert.Equal(down, fromServer);
            var comments = await Tshark.RunAsync("tshark", "-r", file, "-T", "fields", "-e", "frame.comment");
            Assert.Contains("via websocket to target 'raw' for WebSocket client 127.0.0.1:", comments);
            var fins = await Tshark.RunAsync("tshark", "-r", file, "-Y", "tcp.flags.fin == 1", "-T", "fields", "-e", "tcp.srcport");
            Assert.NotEqual(target.Port.ToString(), fins.Split('\n')[0].Trim()); // the bridge's FIN came first
            Assert.Equal(up, Concat(await ChunksAsync(host, id, "in")));
            Assert.Equal(down, Concat(await ChunksAsync(host, id, "out")));
        }

        // One closed session is retained: the newer one pushed the older one out.
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(host.Url($"/api/sessions/{ids[0]}/capture.pcapng")).Within()).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(host.Url("/api/sessions/b999/capture.jsonl")).Within()).StatusCode);
        var kept = Assert.Single(Snapshot(host).Bridges!);
        Assert.Equal((ids[1], "websocket", "closed by client"), (kept.Id, kept.Via, kept.CloseReason));
        var closed = await DownloadAsync(host, "/api/captures.pcapng?closed=true");
        var (closedUp, closedDown) = await Tshark.FollowTcpAsync(closed);
        Assert.Equal(up, closedUp);
        Assert.Equal(down, closedDown);
    }

    [Fact]
    public async Task A_hub_session_to_echo_is_exportable_under_its_bridge_id_which_the_listener_session_names()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:Telnet"] = "false" });
        await using var client = await BridgeClient.ConnectAsync(host);
        var session = await client.OpenAsync();
        await using var frames = client.Receive(session.SessionId);
        await client.SendAsync(session.SessionId, "hola\n");
        Assert.Equal("hola\n", await frames.ReadTextAsync(5));
        await Bounded.UntilAsync(() => Snapshot(host).Sessions.Any(s => s.BridgeSessionId == session.SessionId), "the listener session is linked");

        var linked = Snapshot(host).Sessions.Single(s => s.BridgeSessionId == session.SessionId);
        var file = await DownloadAsync(host, $"/api/sessions/{linked.BridgeSessionId}/capture.pcapng");
        var (fromClient, fromServer) = await Tshark.FollowTcpAsync(file);
        Assert.Equal("hola\n"u8.ToArray(), fromClient);
        Assert.Equal("hola\n"u8.ToArray(), fromServer);
        var ports = await Tshark.RunAsync("tshark", "-r", file, "-T", "fields", "-e", "tcp.srcport", "-e", "tcp.dstport", "-c", "1");
        Assert.Equal($"{IPEndPoint.Parse(linked.Remote).Port}\t{host.Tcp.Port}", ports.Trim());
    }

    [Fact]
    public async Task With_capture_off_a_bridge_session_stores_nothing_but_is_listed_when_closed()
    {
        using var target = new RawTarget();
        await using var host = await TestHost.StartAsync(target.Settings(new Dictionary<string, string?> { ["Capture:Enabled"] = "false" }));
        await using var client = await BridgeClient.ConnectAsync(host);
        var session = await client.OpenAsync(target.Name);
        using var accepted = await target.AcceptAsync();
        await client.SendAsync(session.SessionId, "hola\n");
        await RawTarget.ReadExactlyAsync(accepted, 5);
        await client.CloseAsync(session.SessionId);
        await WaitClosedAsync(host, session.SessionId);

        Assert.Equal(0, Store(host).ReservedBytes);
        Assert.Empty(await ChunksAsync(host, session.SessionId, "in"));
        var closed = Assert.Single(Snapshot(host).Bridges!);
        Assert.Equal((session.SessionId, 5L, "closed by client"), (closed.Id, closed.BytesIn, closed.CloseReason));
    }

    [Fact]
    public async Task A_bridge_session_past_the_session_cap_is_cut_and_still_counted()
    {
        using var target = new RawTarget();
        await using var host = await TestHost.StartAsync(target.Settings(new Dictionary<string, string?> { ["Capture:MaxSessionBytes"] = "1000" }));
        await using var client = await BridgeClient.ConnectAsync(host);
        var session = await client.OpenAsync(target.Name);
        using var accepted = await target.AcceptAsync();
        var sent = RandomBytes(3000, 7);
        await client.SendBytesAsync(session.SessionId, sent);
        await RawTarget.ReadExactlyAsync(accepted, sent.Length);

        using var http = new HttpClient();
        var lines = (await http.GetStringAsync(host.Url($"/api/sessions/{session.SessionId}/capture.jsonl")).Within())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var chunk = Assert.Single(lines, l => l.GetProperty("type").GetString() == "chunk");
        Assert.Equal(sent[..1000], chunk.GetProperty("data").GetBytesFromBase64());
        var cut = Assert.Single(lines, l => l.GetProperty("type").GetString() == "cut");
        Assert.Contains("Capture:MaxSessionBytes", cut.GetProperty("reason").GetString());
        Assert.Equal(2000, cut.GetProperty("droppedBytesIn").GetInt64());
        Assert.Contains(Snapshot(host).Bridges!, b => b.Id == session.SessionId && b.BytesIn == sent.Length);
    }

    [Fact]
    public async Task Closed_bridge_sessions_are_evicted_oldest_first_by_the_total_cap()
    {
        using var target = new RawTarget();
        await using var host = await TestHost.StartAsync(target.Settings(new Dictionary<string, string?>
        {
            ["Capture:MaxSessionBytes"] = "4000",
            ["Capture:MaxTotalBytes"] = "9000",
        }));
        await using var client = await BridgeClient.ConnectAsync(host);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var session = await client.OpenAsync(target.Name);
            using var accepted = await target.AcceptAsync();
            await client.SendBytesAsync(session.SessionId, RandomBytes(3000, i));
            await RawTarget.ReadExactlyAsync(accepted, 3000);
            await client.CloseAsync(session.SessionId);
            await WaitClosedAsync(host, session.SessionId);
            ids.Add(session.SessionId);
        }

        // Each stored 3,013 B in segments of 256 B..2 KiB (3.8 KiB); the third made room by evicting the first.
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(host.Url($"/api/sessions/{ids[0]}/capture.pcapng")).Within()).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(host.Url($"/api/sessions/{ids[1]}/capture.pcapng")).Within()).StatusCode);
        Assert.True(Store(host).ReservedBytes <= 9000);
        Assert.Equal(1, Store(host).EvictedCount);
        Assert.Equal([ids[2], ids[1]], Snapshot(host).Bridges!.Select(b => b.Id));
    }
}
