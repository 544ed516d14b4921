using System.Net;
using System.Net.Sockets;
using EchoBridge.Contracts;
using EchoBridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EchoBridge.Tests.Listener;

public sealed class UdpEchoTests
{
    private static async Task<byte[]> ReceiveAsync(Socket socket, TimeSpan? timeout = null)
    {
        var buffer = new byte[65_536];
        using var cts = new CancellationTokenSource(timeout ?? Bounded.Step);
        var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        return buffer[..n];
    }

    private static Socket Client(string address = "127.0.0.1", int port = 0)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(address), port));
        return socket;
    }

    [Fact]
    public async Task Each_datagram_comes_back_unchanged_to_its_sender_on_the_same_port_as_TCP()
    {
        await using var host = await TestHost.StartAsync();
        Assert.Equal(host.Tcp.Port, host.Udp.Port);
        using var client = Client();
        var random = new Random(768);

        foreach (var size in new[] { 1, 64, 1400, 8000, 65_507 })
        {
            var datagram = new byte[size];
            random.NextBytes(datagram);
            await client.SendToAsync(datagram, host.Udp).Within();
            Assert.Equal(datagram, await ReceiveAsync(client));
        }

        var session = Assert.Single(host.Registry.Sessions);
        Assert.Equal(SessionKind.Udp, session.Kind);
        Assert.Equal(client.LocalEndPoint!.ToString(), session.Remote);
        Assert.Equal(5, session.MessagesIn);
    }

    [Fact]
    public async Task Datagrams_from_the_listeners_own_port_are_never_answered()
    {
        await using var host = await TestHost.StartAsync();
        // Another echo service on the same port (127.0.0.2 is loopback too) must not be set ping-ponging with us.
        using var echoLike = Client("127.0.0.2", host.Udp.Port);
        using var ordinary = Client();

        await echoLike.SendToAsync("ping"u8.ToArray(), host.Udp).Within();
        await ordinary.SendToAsync("after"u8.ToArray(), host.Udp).Within();

        // One receive loop answers in order: once "after" is back, "ping" was already dropped.
        Assert.Equal("after"u8.ToArray(), await ReceiveAsync(ordinary));
        Assert.Equal(0, echoLike.Available);
        Assert.Equal(1, host.Registry.GetTotals().RefusedConnections);
        Assert.DoesNotContain(host.Registry.Sessions, s => s.Remote.StartsWith("127.0.0.2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_source_over_its_rate_limit_is_not_answered()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Listener:Udp:RateLimitPerSecond"] = "10",
            ["Listener:Udp:RateLimitBurst"] = "5",
        });
        using var flooder = Client();

        for (var i = 0; i < 50; i++)
        {
            await flooder.SendToAsync(new byte[] { (byte)i }, host.Udp).Within();
        }

        await Bounded.UntilAsync(() => host.Registry.GetTotals() is { MessagesIn: >= 5 } totals && totals.MessagesIn + totals.RefusedConnections == 50,
            "all 50 datagrams are answered or refused");
        var answered = host.Registry.GetTotals().MessagesOut;
        Assert.InRange(answered, 5, 10); // the burst, plus what the bucket refilled meanwhile
        Assert.Equal(50 - answered, host.Registry.GetTotals().RefusedConnections);
    }

    [Fact]
    public async Task A_quiet_peer_stops_being_a_session()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await TestHost.StartAsync(
            new Dictionary<string, string?> { ["Listener:Udp:PeerIdleSeconds"] = "30" },
            builder => builder.Services.AddSingleton<TimeProvider>(time));
        using var client = Client();
        await client.SendToAsync("hi"u8.ToArray(), host.Udp).Within();
        await ReceiveAsync(client);
        Assert.Single(host.Registry.Sessions);

        time.Advance(TimeSpan.FromSeconds(31));

        await Bounded.UntilAsync(() => host.Registry.ActiveCount == 0, "the UDP peer expired");
        await client.SendToAsync("again"u8.ToArray(), host.Udp).Within();
        Assert.Equal("again"u8.ToArray(), await ReceiveAsync(client));
    }
}
