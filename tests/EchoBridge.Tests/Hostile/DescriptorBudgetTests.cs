using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Hostile;

/// <summary>
/// More clients than the process has descriptors (<c>prlimit</c>): the caps were fitted to the limit at start, so the
/// flood is refused at the door, the sessions already open keep being served, no core is burnt, and places free up at once.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class DescriptorBudgetTests
{
    [Fact]
    public async Task A_flood_past_the_descriptor_limit_is_refused_at_the_door_and_costs_no_core()
    {
        var (echoPort, httpPort) = (FreePort.Tcp(), FreePort.Tcp());
        var socketPath = Path.Combine(Path.GetTempPath(), $"eb-{Guid.NewGuid():N}"[..11] + ".sock");
        await using var server = HostProcess.StartUnder(["prlimit", "--nofile=400:400", "--"],
            HostProcess.LoopbackArgs(echoPort, httpPort, socketPath));
        await server.WaitUntilReadyAsync(httpPort);
        Assert.Contains("Descriptors: limit 400", server.Stdout, StringComparison.Ordinal);
        Assert.Contains("Listener:MaxConnections 10000 ->", server.Stdout, StringComparison.Ordinal);

        var endPoint = new IPEndPoint(IPAddress.Loopback, echoPort);
        using var veteran = await EchoClient.ConnectAsync(endPoint);
        await veteran.SendAsync("a");
        await veteran.ReceiveExactlyAsync(1);

        var cpuBefore = ProcessCpu.Seconds(server.Pid);
        var started = DateTime.UtcNow;
        var flood = new List<Socket>();
        var busy = 0;
        try
        {
            for (var i = 0; i < 600; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                flood.Add(socket);
                try
                {
                    await socket.ConnectAsync(endPoint).Within();
                }
                catch (SocketException)
                {
                    continue; // the backlog is full: the kernel holds the handshake back
                }
            }

            // Every flood client is either a session or was told the server is busy; the veteran is still served.
            await veteran.SendAsync("b");
            Assert.Equal("b"u8.ToArray(), await veteran.ReceiveExactlyAsync(1));
            foreach (var socket in flood.Where(s => s.Connected).Take(400))
            {
                var buffer = new byte[256];
                using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
                try
                {
                    var n = await socket.ReceiveAsync(buffer, SocketFlags.None, wait.Token);
                    if (n > 0 && System.Text.Encoding.ASCII.GetString(buffer, 0, n).StartsWith("Server busy", StringComparison.Ordinal))
                    {
                        busy++;
                    }
                }
                catch (OperationCanceledException)
                {
                    // an open session: it says nothing until spoken to
                }
            }

            Assert.True(busy > 0, "some of the flood was told the server is busy");
            var cpu = (ProcessCpu.Seconds(server.Pid) - cpuBefore) / (DateTime.UtcNow - started).TotalSeconds;
            Assert.True(cpu <= 0.3, $"the server used {cpu:P0} of a core during the flood");
        }
        finally
        {
            flood.ForEach(s => s.Dispose());
        }

        // Places free up as the flood leaves: a new client is served within a second or two.
        await Bounded.UntilAsync(() => TryEcho(endPoint), "a new client is served again", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_flood_of_bridge_WebSockets_past_the_descriptor_limit_is_refused_with_503_and_the_echo_keeps_serving()
    {
        var (echoPort, httpPort) = (FreePort.Tcp(), FreePort.Tcp());
        var socketPath = Path.Combine(Path.GetTempPath(), $"eb-{Guid.NewGuid():N}"[..11] + ".sock");
        await using var server = HostProcess.StartUnder(["prlimit", "--nofile=400:400", "--"],
            HostProcess.LoopbackArgs(echoPort, httpPort, socketPath));
        await server.WaitUntilReadyAsync(httpPort);
        Assert.Contains("Bridge:MaxSessions 1000 ->", server.Stdout, StringComparison.Ordinal);
        Assert.Contains("Bridge:MaxClientConnections 1000 ->", server.Stdout, StringComparison.Ordinal);

        // Each WebSocket bridged to `echo` holds three descriptors: the WebSocket, the bridge's socket, the echo session.
        var sockets = new List<System.Net.WebSockets.ClientWebSocket>();
        var refused = 0;
        try
        {
            for (var i = 0; i < 150; i++)
            {
                var socket = new System.Net.WebSockets.ClientWebSocket();
                sockets.Add(socket);
                try
                {
                    await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{httpPort}/websockify?token=echo"), CancellationToken.None).Within();
                }
                catch (System.Net.WebSockets.WebSocketException)
                {
                    refused++; // 503 before the upgrade: a cap of the budget
                }
            }

            Assert.True(refused > 0, "the WebSockets past the fitted caps were refused");
            var open = sockets.Where(s => s.State == System.Net.WebSockets.WebSocketState.Open).ToList();
            Assert.NotEmpty(open);
            await open[0].SendAsync("ping"u8.ToArray(), System.Net.WebSockets.WebSocketMessageType.Binary, true, CancellationToken.None).Within();
            var buffer = new byte[16];
            var received = await open[0].ReceiveAsync(buffer, CancellationToken.None).Within();
            Assert.Equal("ping", System.Text.Encoding.ASCII.GetString(buffer, 0, received.Count));
            Assert.True(TryEcho(new IPEndPoint(IPAddress.Loopback, echoPort)), "a raw echo client is still served");
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    private static bool TryEcho(IPEndPoint endPoint)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 500 };
        try
        {
            socket.Connect(endPoint);
            socket.Send("z"u8);
            var buffer = new byte[64];
            return socket.Receive(buffer) == 1 && buffer[0] == (byte)'z';
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>A process's CPU time from <c>/proc/PID/stat</c> (user + system).</summary>
internal static class ProcessCpu
{
    public static double Seconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / 100.0; // USER_HZ is 100 on Linux
    }
}
