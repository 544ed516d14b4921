using System.Net;
using System.Net.Sockets;
using EchoBridge.Contracts;
using EchoBridge.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace EchoBridge.Tests.Lab;

/// <summary>A session's summary names the listener end its client reached (the lab's timeline shows it).</summary>
public sealed class SessionLocalTests
{
    [Fact]
    public async Task The_summary_of_a_TCP_Unix_and_UDP_session_says_which_endpoint_the_client_reached()
    {
        await using var host = await TestHost.StartAsync();
        using var tcp = await EchoClient.ConnectAsync(host.Tcp);
        using var unix = await EchoClient.ConnectAsync(host.UnixPath);
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Connect(host.Udp);
        await tcp.SendAsync("a\n");
        await unix.SendAsync("b\n");
        await udp.SendAsync("c\n"u8.ToArray(), SocketFlags.None).Within();
        Assert.Equal("a\n"u8.ToArray(), await tcp.ReceiveExactlyAsync(2));
        Assert.Equal("b\n"u8.ToArray(), await unix.ReceiveExactlyAsync(2));
        await udp.ReceiveAsync(new byte[8], SocketFlags.None).Within();

        await using var client = await BridgeClient.ConnectAsync(host);
        using var watching = new CancellationTokenSource(Bounded.Step);
        await foreach (var snapshot in client.Connection.StreamAsync<DashboardSnapshot>(nameof(IBridgeHub.Watch), watching.Token))
        {
            if (snapshot.Sessions.Count < 3)
            {
                continue;
            }

            var local = snapshot.Sessions.ToDictionary(s => s.Kind, s => s.Local);
            Assert.Equal(host.Tcp.ToString(), local[SessionKind.Tcp]);
            Assert.Equal(host.UnixPath, local[SessionKind.Unix]);
            Assert.Equal($"udp {host.Udp}", local[SessionKind.Udp]);
            return;
        }

        Assert.Fail("the three sessions were not listed");
    }

    [Fact]
    public async Task An_IPv4_client_of_a_wildcard_listener_reached_the_IPv4_address_and_the_lab_reaches_it_over_loopback()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:BindAddress"] = "any" });
        using var tcp = await EchoClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, host.Tcp.Port));
        await tcp.SendAsync("a\n");
        Assert.Equal("a\n"u8.ToArray(), await tcp.ReceiveExactlyAsync(2));

        var session = Assert.Single(host.Registry.Sessions);
        Assert.Equal($"127.0.0.1:{host.Tcp.Port}", session.ToSummary().Local);

        await using var client = await BridgeClient.ConnectAsync(host);
        var halfClose = await client.Connection.InvokeAsync<HalfCloseResult>(nameof(IBridgeHub.RunHalfClose)).Within();
        Assert.True(halfClose.EchoBeforeClose);
        var streamDatagram = await client.Connection.InvokeAsync<StreamDatagramResult>(nameof(IBridgeHub.RunStreamDatagram)).Within();
        Assert.Equal(streamDatagram.Sent, streamDatagram.UdpDatagrams);
    }
}
