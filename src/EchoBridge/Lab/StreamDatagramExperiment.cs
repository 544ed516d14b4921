using System.Net;
using System.Net.Sockets;
using System.Text;
using EchoBridge.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace EchoBridge.Lab;

/// <summary>
/// Stream versus datagram: a client sends three short lines back to back, one <c>send</c> each, to the TCP echo and
/// then to the UDP echo, and reads its echoes. What counts is how the server received them, read from its session's
/// recorded traffic: over TCP the echo loop's reads (a stream has no boundaries: the lines may come in one read or
/// several), over UDP the datagrams (always three). The TCP client keeps Nagle's algorithm on, as a Python socket does.
/// </summary>
public sealed class StreamDatagramExperiment(EchoPorts ports, LabSessions sessions)
{
    /// <summary>What the client sends, in order.</summary>
    public static readonly IReadOnlyList<byte[]> Messages = [.. new[] { "hola\n", "que tal\n", "adios\n" }.Select(Encoding.ASCII.GetBytes)];

    private const string Name = "stream versus datagram";

    /// <summary>Runs it once; <paramref name="cancellationToken"/> bounds it.</summary>
    public async Task<StreamDatagramResult> RunAsync(CancellationToken cancellationToken)
    {
        var tcp = ports.Tcp(Name);
        var udp = ports.Udp(Name);
        var tcpReads = await OverTcpAsync(tcp, cancellationToken);
        var udpDatagrams = await OverUdpAsync(udp, cancellationToken);
        return new StreamDatagramResult([.. Messages.Select(m => m.Length)], tcpReads, udpDatagrams);
    }

    private async Task<IReadOnlyList<int>> OverTcpAsync(IPEndPoint echo, CancellationToken cancellationToken)
    {
        using var client = new Socket(echo.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(echo, cancellationToken);
        foreach (var message in Messages)
        {
            await client.SendAsync(message, SocketFlags.None, cancellationToken);
        }

        // Every byte echoed means every byte was read (and recorded) by the server first.
        await ReceiveEchoAsync(client, Messages.Sum(m => m.Length), cancellationToken);
        var session = sessions.Find(SessionKind.Tcp, client.LocalEndPoint)
            ?? throw new HubException("The stream versus datagram experiment lost its TCP session before reading it.");
        return LabSessions.ReadSizes(session);
    }

    private async Task<IReadOnlyList<int>> OverUdpAsync(IPEndPoint echo, CancellationToken cancellationToken)
    {
        using var client = new Socket(echo.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        client.Connect(echo); // sets the peer; nothing is sent
        foreach (var message in Messages)
        {
            await client.SendAsync(message, SocketFlags.None, cancellationToken);
        }

        var buffer = new byte[512];
        for (var i = 0; i < Messages.Count; i++)
        {
            await client.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        }

        var session = sessions.Find(SessionKind.Udp, client.LocalEndPoint)
            ?? throw new HubException("The stream versus datagram experiment lost its UDP session before reading it.");
        return LabSessions.ReadSizes(session);
    }

    private static async Task ReceiveEchoAsync(Socket client, int expected, CancellationToken cancellationToken)
    {
        var echoed = new byte[expected];
        for (var received = 0; received < expected;)
        {
            var read = await client.ReceiveAsync(echoed.AsMemory(received), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                break;
            }

            received += read;
        }

        if (!echoed.AsSpan().SequenceEqual(Messages.SelectMany(m => m).ToArray()))
        {
            throw new HubException("The echo listener did not echo the lab's lines (is it at a connection limit?).");
        }
    }
}
