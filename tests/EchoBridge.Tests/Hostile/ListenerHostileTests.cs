using System.Net;
using System.Net.Sockets;
using EchoBridge.Contracts;
using EchoBridge.Sessions;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Hostile;

/// <summary>The echo listener's doors under clients that take too much: each hits a cap, gets a clear refusal, and nobody else loses.</summary>
public sealed class ListenerHostileTests
{
    [Fact]
    public async Task One_address_over_its_cap_is_told_why_and_another_address_still_gets_in()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Listener:MaxConnectionsPerAddress"] = "2",
            ["Listener:BindAddress"] = "any",
        });
        var port = host.Tcp.Port;
        using var first = await EchoClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        using var second = await EchoClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 2, "two sessions from 127.0.0.1");

        using var third = await EchoClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        Assert.Equal("Server busy: 2 connections from your address are open, the most it takes from one address. Try again later.\r\n",
            await third.ReceiveTextToEndAsync());

        using var other = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        other.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0)); // another client address (all of 127/8 is loopback)
        await other.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).Within();
        await other.SendAsync("otra"u8.ToArray()).Within();
        var echoed = new byte[4];
        Assert.Equal(4, await other.ReceiveAsync(echoed).Within());
        Assert.Equal("otra"u8.ToArray(), echoed);
        Assert.Contains(host.Registry.RefusedByReason, pair => pair.Key == "per-address connection limit reached" && pair.Value == 1);
    }

    [Fact]
    public async Task A_client_that_never_reads_holds_little_and_is_closed_after_the_stall_timeout()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:StallTimeoutSeconds"] = "2" });
        using var reader = await EchoClient.ConnectAsync(host.Tcp);
        using var hog = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await hog.ConnectAsync(host.Tcp).Within();

        // Send until the server stops taking bytes: its pipes are full and the kernel buffers too.
        var chunk = new byte[16 * 1024];
        var sent = 0L;
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            while (!stop.IsCancellationRequested)
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                attempt.CancelAfter(TimeSpan.FromMilliseconds(500));
                try
                {
                    sent += await hog.SendAsync(chunk, SocketFlags.None, attempt.Token);
                }
                catch (OperationCanceledException)
                {
                    break; // the server stopped reading
                }
                catch (SocketException)
                {
                    break; // already closed as stalled
                }
            }
        }

        Assert.True(sent < 64L * 1024 * 1024, $"the server kept reading a client that never reads ({sent} bytes)");
        var hogSession = host.Registry.Sessions.FirstOrDefault(s => s.BytesIn > 0);
        Assert.True(hogSession is null || hogSession.BytesIn - hogSession.BytesOut <= 128 * 1024,
            $"the server held {(hogSession?.BytesIn - hogSession?.BytesOut)} bytes for one client");

        await Bounded.UntilAsync(() => host.Registry.Sessions.All(s => s.BytesIn == 0), "the stalled client is closed", TimeSpan.FromSeconds(15));
        await reader.SendAsync("still here");
        Assert.Equal("still here"u8.ToArray(), await reader.ReceiveExactlyAsync(10));
    }

    [Fact]
    public async Task UDP_peers_have_their_own_budget_never_take_TCP_places_and_the_oldest_makes_room()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Listener:MaxConnections"] = "2",
            ["Listener:Udp:MaxPeers"] = "5",
        });

        var peers = new List<Socket>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                peers.Add(peer);
                await peer.SendToAsync(new[] { (byte)i }, host.Udp).Within();
                var buffer = new byte[16];
                using var cts = new CancellationTokenSource(Bounded.Step);
                var n = await peer.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                Assert.Equal([(byte)i], buffer[..n]); // every new source is answered, the table full or not
            }

            Assert.InRange(host.Registry.Sessions.Count(s => s.Kind == SessionKind.Udp), 1, 5);
            using var a = await EchoClient.ConnectAsync(host.Tcp);
            using var b = await EchoClient.ConnectAsync(host.Tcp);
            await b.SendAsync("tcp");
            Assert.Equal("tcp"u8.ToArray(), await b.ReceiveExactlyAsync(3)); // both TCP places were still free
        }
        finally
        {
            peers.ForEach(p => p.Dispose());
        }
    }
}
