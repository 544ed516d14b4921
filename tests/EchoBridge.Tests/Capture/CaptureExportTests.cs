using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EchoBridge.Capture;
using EchoBridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EchoBridge.Tests.Capture;

/// <summary>Exports read back by Wireshark's own tools: the bytes, the ports, the counts, the cut and the eviction.</summary>
public sealed class CaptureExportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eb-capture-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CaptureStore Store(TestHost host) => host.Services.GetRequiredService<CaptureStore>();

    private static Task WaitClosedAsync(TestHost host, long id) =>
        Bounded.UntilAsync(() => Store(host).TryGet(id.ToString(), out var r) && r.ClosedAt is not null, $"session {id} closed");

    private async Task<string> DownloadAsync(TestHost host, string path, HttpClient? http = null)
    {
        using var own = new HttpClient();
        var bytes = await (http ?? own).GetByteArrayAsync(host.Url(path)).Within();
        var file = Path.Combine(_dir, Guid.NewGuid().ToString("N") + Path.GetExtension(path.Split('?')[0]));
        await File.WriteAllBytesAsync(file, bytes);
        return file;
    }

    private static async Task<List<JsonElement>> JsonLinesAsync(TestHost host, string path)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(host.Url(path)).Within();
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];
    }

    [Fact]
    public async Task A_TCP_session_opens_in_tshark_with_both_directions_byte_for_byte_between_its_real_ports()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:Telnet"] = "false" });
        var sent = new byte[150_000];
        new Random(15).NextBytes(sent);
        long id;
        int clientPort;
        byte[] received;
        using (var client = await EchoClient.ConnectAsync(host.Tcp))
        {
            clientPort = ((IPEndPoint)client.Socket.LocalEndPoint!).Port;
            // Split writes of odd sizes, one larger than a segment can carry.
            foreach (var (offset, length) in new[] { (0, 1), (1, 99), (100, 70_000), (70_100, 79_900) })
            {
                await client.SendAsync(sent.AsMemory(offset, length));
            }

            received = await client.ReceiveExactlyAsync(sent.Length);
            id = Assert.Single(host.Registry.Sessions).Id;
            client.Socket.Shutdown(SocketShutdown.Send);
            await client.ReceiveToEndAsync();
        }

        await WaitClosedAsync(host, id);
        var file = await DownloadAsync(host, $"/api/sessions/{id}/capture.pcapng");

        var (fromClient, fromServer) = await Tshark.FollowTcpAsync(file);
        Assert.Equal(sent, fromClient);
        Assert.Equal(received, fromServer);
        Assert.Equal(sent, received);

        // Every chunk in the transcript became ceil(length / max) segments, plus the handshake and the FIN exchange.
        var lines = await JsonLinesAsync(host, $"/api/sessions/{id}/capture.jsonl");
        var max = EchoBridge.Capture.Export.IpPackets.MaxPayload(udp: false);
        var segments = lines.Where(l => l.GetProperty("type").GetString() == "chunk")
            .Sum(l => (l.GetProperty("length").GetInt32() + max - 1) / max);
        Assert.Equal(3 + segments + 3, await Tshark.PacketCountAsync(file));
        Assert.Equal("closed by client", lines[^1].GetProperty("reason").GetString());

        var ports = await Tshark.RunAsync("tshark", "-r", file, "-T", "fields", "-e", "tcp.srcport", "-e", "tcp.dstport", "-c", "1");
        Assert.Equal($"{clientPort}\t{host.Tcp.Port}", ports.Trim());
        var flags = await Tshark.RunAsync("tshark", "-r", file, "-Y", "tcp.analysis.flags && !tcp.analysis.window_update", "-T", "fields", "-e", "frame.number");
        Assert.Equal("", flags.Trim()); // no retransmissions, gaps or bad acks as Wireshark sees it
    }

    [Fact]
    public async Task A_telnet_session_that_quits_is_exported_as_pcapng_jsonl_and_text()
    {
        await using var host = await TestHost.StartAsync();
        long id;
        byte[] received;
        using (var client = await EchoClient.ConnectAsync(host.Tcp))
        {
            await client.SendAsync("hola\r\n");
            await client.ReceiveExactlyAsync(6);
            id = Assert.Single(host.Registry.Sessions).Id;
            await client.SendAsync("qu");
            await client.SendAsync("it\r\n");
            received = await client.ReceiveToEndAsync();
        }

        await WaitClosedAsync(host, id);
        var file = await DownloadAsync(host, $"/api/sessions/{id}/capture.pcapng");
        var (fromClient, fromServer) = await Tshark.FollowTcpAsync(file);
        Assert.Equal("hola\r\nquit\r\n", Encoding.UTF8.GetString(fromClient));
        Assert.Equal("hola\r\n" + Encoding.UTF8.GetString(received), Encoding.UTF8.GetString(fromServer));
        var comments = await Tshark.RunAsync("tshark", "-r", file, "-T", "fields", "-e", "frame.comment");
        Assert.Contains($"EchoBridge session {id}: TCP", comments);
        Assert.Contains("closed: quit", comments);

        using var http = new HttpClient();
        var text = await http.GetStringAsync(host.Url($"/api/sessions/{id}/capture.txt")).Within();
        Assert.Contains("> ", text);
        Assert.Contains("\"hola\\r\\n\"", text);
        Assert.Contains("-- closed (quit)", text);
        var lines = await JsonLinesAsync(host, $"/api/sessions/{id}/capture.jsonl");
        Assert.Equal("session", lines[0].GetProperty("type").GetString());
        var first = lines[1];
        Assert.Equal(("in", "hola\r\n"), (first.GetProperty("dir").GetString(), first.GetProperty("text").GetString()));
        Assert.Equal("aG9sYQ0K", first.GetProperty("data").GetString());
    }

    [Fact]
    public async Task UDP_datagrams_are_exported_one_for_one_with_their_real_ports()
    {
        await using var host = await TestHost.StartAsync();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)client.LocalEndPoint!).Port;
        var datagrams = new[] { "a"u8.ToArray(), new byte[1400], "hola\n"u8.ToArray() };
        new Random(1).NextBytes(datagrams[1]);
        var buffer = new byte[2048];
        foreach (var datagram in datagrams)
        {
            await client.SendToAsync(datagram, host.Udp).Within();
            await client.ReceiveAsync(buffer).Within();
        }

        var id = Assert.Single(host.Registry.Sessions).Id;
        var file = await DownloadAsync(host, $"/api/sessions/{id}/capture.pcapng");
        var rows = (await Tshark.RunAsync("tshark", "-r", file, "-T", "fields", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "data.data"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, rows.Length);
        for (var i = 0; i < datagrams.Length; i++)
        {
            var hex = Convert.ToHexString(datagrams[i]).ToLowerInvariant();
            Assert.Equal($"{port}\t{host.Udp.Port}\t{hex}", rows[2 * i]);
            Assert.Equal($"{host.Udp.Port}\t{port}\t{hex}", rows[2 * i + 1]);
        }
    }

    [Fact]
    public async Task A_Unix_session_opens_as_synthetic_TCP_with_the_socket_path_in_a_comment()
    {
        await using var host = await TestHost.StartAsync();
        long id;
        using (var client = await EchoClient.ConnectAsync(host.UnixPath))
        {
            await client.SendAsync("hola\n");
            await client.ReceiveExactlyAsync(5);
            id = Assert.Single(host.Registry.Sessions).Id;
        }

        await WaitClosedAsync(host, id);
        var file = await DownloadAsync(host, $"/api/sessions/{id}/capture.pcapng");
        var (fromClient, fromServer) = await Tshark.FollowTcpAsync(file);
        Assert.Equal("hola\n", Encoding.UTF8.GetString(fromClient));
        Assert.Equal("hola\n", Encoding.UTF8.GetString(fromServer));
        var comments = await Tshark.RunAsync("tshark", "-r", file, "-T", "fields", "-e", "frame.comment");
        Assert.Contains(host.UnixPath, comments);
        Assert.Contains("synthetic", comments);
    }

    [Fact]
    public async Task A_session_past_its_cap_is_cut_and_the_exports_say_where()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Listener:Telnet"] = "false",
            ["Capture:MaxSessionBytes"] = "1000",
        });
        var sent = new byte[3000];
        new Random(3).NextBytes(sent);
        using var client = await EchoClient.ConnectAsync(host.Tcp);
        await client.SendAsync(sent);
        await client.ReceiveExactlyAsync(sent.Length);
        var id = Assert.Single(host.Registry.Sessions).Id;

        var lines = await JsonLinesAsync(host, $"/api/sessions/{id}/capture.jsonl");
        var stored = lines.Where(l => l.GetProperty("type").GetString() == "chunk").Sum(l => l.GetProperty("length").GetInt32());
        Assert.Equal(1000, stored);
        var cut = Assert.Single(lines, l => l.GetProperty("type").GetString() == "cut");
        Assert.Contains("Capture:MaxSessionBytes", cut.GetProperty("reason").GetString());
        Assert.Equal(6000 - 1000, cut.GetProperty("droppedBytesIn").GetInt64() + cut.GetProperty("droppedBytesOut").GetInt64());

        var file = await DownloadAsync(host, $"/api/sessions/{id}/capture.pcapng");
        var comments = await Tshark.RunAsync("tshark", "-r", file, "-T", "fields", "-e", "frame.comment");
        Assert.Contains("capture cut here", comments);
        Assert.Equal(host.Registry.Sessions.Single().BytesIn, sent.Length); // still counted
    }

    [Fact]
    public async Task Closed_sessions_are_evicted_oldest_first_by_count_and_by_the_total_cap()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Capture:MaxSessionBytes"] = "4000",
            ["Capture:MaxTotalBytes"] = "9000",
        });
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            using var client = await EchoClient.ConnectAsync(host.Tcp);
            await client.SendAsync(new string('x', 1500) + "\n");
            await client.ReceiveExactlyAsync(1501);
            ids.Add(host.Registry.Sessions.Single().Id);
            client.Socket.Shutdown(SocketShutdown.Send);
            await client.ReceiveToEndAsync();
            await Bounded.UntilAsync(() => !host.Registry.Sessions.Any(), "the session closed");
        }

        // Each stored ~3 KB in segments of 256 B..2 KiB (3.8 KiB); the third made room by evicting the first.
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(host.Url($"/api/sessions/{ids[0]}/capture.pcapng")).Within()).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(host.Url($"/api/sessions/{ids[1]}/capture.pcapng")).Within()).StatusCode);
        Assert.True(Store(host).ReservedBytes <= 9000);
        Assert.Equal(1, Store(host).EvictedCount);

        foreach (var path in new[] { "/api/captures.pcapng?closed=true", $"/api/captures.pcapng?ids={ids[1]},{ids[2]}" })
        {
            var file = await DownloadAsync(host, path);
            for (var stream = 0; stream < 2; stream++)
            {
                var (fromClient, fromServer) = await Tshark.FollowTcpAsync(file, stream);
                Assert.Equal((1501, 1501), (fromClient.Length, fromServer.Length));
            }

            var streams = await Tshark.RunAsync("tshark", "-r", file, "-T", "fields", "-e", "tcp.stream");
            Assert.Equal(2, streams.Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct().Count());
        }
    }

    [Fact]
    public async Task Retention_by_count_keeps_the_most_recent_closed_sessions()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Capture:RetainClosedSessions"] = "1" });
        var ids = new List<long>();
        for (var i = 0; i < 2; i++)
        {
            using var client = await EchoClient.ConnectAsync(host.Tcp);
            await client.SendAsync("hola\n");
            await client.ReceiveExactlyAsync(5);
            ids.Add(host.Registry.Sessions.Single().Id);
            client.Socket.Shutdown(SocketShutdown.Send);
            await client.ReceiveToEndAsync();
            await WaitClosedAsync(host, ids[^1]);
        }

        Assert.False(Store(host).TryGet(ids[0].ToString(), out _));
        var closed = Assert.Single(Store(host).RecentlyClosed());
        Assert.Equal(ids[1].ToString(), closed.Key);
        Assert.Equal("closed by client", closed.Summary!.CloseReason);
    }

    [Fact]
    public async Task Unknown_sessions_are_404_and_a_selection_needs_ids()
    {
        await using var host = await TestHost.StartAsync();
        using var http = new HttpClient();
        foreach (var path in new[] { "/api/sessions/999/capture.pcapng", "/api/sessions/b42/capture.jsonl", "/api/sessions/x/capture.txt", "/api/captures.pcapng?ids=1,999" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(host.Url(path)).Within()).StatusCode);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync(host.Url("/api/captures.pcapng")).Within()).StatusCode);
        var tooMany = string.Join(',', Enumerable.Range(1, CaptureApi.MaxIdsPerExport + 1));
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync(host.Url($"/api/captures.jsonl?ids={tooMany}")).Within()).StatusCode);
    }

    [Fact]
    public async Task Exports_need_the_access_token()
    {
        const string token = "capture-T0ken";
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["EchoBridge:AccessToken"] = token });
        using (var client = await EchoClient.ConnectAsync(host.Tcp))
        {
            await client.SendAsync("hola\n");
            await client.ReceiveExactlyAsync(5);
        }

        var id = host.Registry.TotalOf(Contracts.SessionKind.Tcp);
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(host.Url($"/api/sessions/{id}/capture.pcapng")).Within()).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(host.Url("/api/captures.jsonl?closed=true")).Within()).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await WaitClosedAsync(host, id);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(host.Url($"/api/sessions/{id}/capture.pcapng")).Within()).StatusCode);
    }

    [Fact]
    public async Task With_capture_off_nothing_is_stored_but_closed_sessions_stay_listed()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Capture:Enabled"] = "false" });
        long id;
        using (var client = await EchoClient.ConnectAsync(host.Tcp))
        {
            await client.SendAsync("hola\n");
            await client.ReceiveExactlyAsync(5);
            id = host.Registry.Sessions.Single().Id;
        }

        await WaitClosedAsync(host, id);
        Assert.Equal(0, Store(host).ReservedBytes);
        var feed = host.Services.GetRequiredService<EchoBridge.Bridge.DashboardFeed>();
        var closed = Assert.Single(feed.Compute().RecentlyClosed!);
        Assert.Equal((id, "closed by client"), (closed.Id, closed.CloseReason));
        Assert.NotNull(closed.ClosedAt);
    }
}
