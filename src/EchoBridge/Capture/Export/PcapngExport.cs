using System.Globalization;
using System.Net;
using EchoBridge.Contracts;

namespace EchoBridge.Capture.Export;

/// <summary>
/// Turns captures into packets Wireshark reads. A TCP session becomes a TCP conversation between its real end points:
/// a handshake at its start, each chunk as segments of at most <see cref="IpPackets.MaxPayload"/> bytes with sequence
/// and acknowledgement numbers that follow the bytes, and a FIN exchange (the side that ended it first) when it
/// closed, so Follow TCP Stream shows both directions byte for byte. A UDP session becomes one datagram per chunk. A
/// Unix session becomes TCP over synthetic loopback addresses (127.0.0.1 → 127.0.0.2) with the socket's path in the
/// first packet's comment. A cut capture has a marker packet with a comment at the cut, and the sequence numbers jump
/// by the bytes not stored (Wireshark flags the gap).
/// </summary>
public static class PcapngExport
{
    private const uint ClientIsn = 1_000, ServerIsn = 1_000_000;

    /// <summary>Writes one session's packets (after <see cref="PcapngWriter.WriteHeader"/>).</summary>
    public static void WriteSession(PcapngWriter writer, CaptureSnapshot capture)
    {
        var (client, server) = EndPoints(capture);
        var comment = Describe(capture);
        if (capture.Parties.Kind == SessionKind.Udp)
        {
            WriteUdp(writer, capture, client, server, comment);
        }
        else
        {
            WriteTcp(writer, capture, client, server, comment);
        }
    }

    /// <summary>The words in a session's first packet: id, who, when it closed and why.</summary>
    public static string Describe(CaptureSnapshot capture)
    {
        var text = $"EchoBridge session {capture.Key}: {capture.Parties.Description}";
        if (capture.Parties.Kind == SessionKind.Unix)
        {
            text += " (the addresses and ports in this capture are synthetic)";
        }

        return capture.ClosedAt is { } closed
            ? text + $"; closed {closed.ToString("O", CultureInfo.InvariantCulture)} ({capture.CloseReason})"
            : text + "; still open when exported";
    }

    private static void WriteTcp(PcapngWriter writer, CaptureSnapshot capture, IPEndPoint client, IPEndPoint server, string comment)
    {
        var max = IpPackets.MaxPayload(udp: false);
        uint clientNext = ClientIsn + 1, serverNext = ServerIsn + 1;
        var t = capture.StartedAt;
        writer.WritePacket(t, IpPackets.TcpSegment(client, server, ClientIsn, 0, IpPackets.Tcp.Syn, []), comment);
        writer.WritePacket(t, IpPackets.TcpSegment(server, client, ServerIsn, clientNext, IpPackets.Tcp.Syn | IpPackets.Tcp.Ack, []));
        writer.WritePacket(t, IpPackets.TcpSegment(client, server, clientNext, serverNext, IpPackets.Tcp.Ack, []));

        foreach (var chunk in capture.Chunks)
        {
            var fromClient = chunk.Direction == TrafficDirection.In;
            for (var offset = 0; offset < chunk.Data.Length; offset += max)
            {
                var part = chunk.Data.Span.Slice(offset, Math.Min(max, chunk.Data.Length - offset));
                var packet = fromClient
                    ? IpPackets.TcpSegment(client, server, clientNext, serverNext, IpPackets.Tcp.Psh | IpPackets.Tcp.Ack, part)
                    : IpPackets.TcpSegment(server, client, serverNext, clientNext, IpPackets.Tcp.Psh | IpPackets.Tcp.Ack, part);
                writer.WritePacket(chunk.At, packet);
                if (fromClient)
                {
                    clientNext += (uint)part.Length;
                }
                else
                {
                    serverNext += (uint)part.Length;
                }
            }
        }

        if (capture.Cut is { } cut)
        {
            clientNext += (uint)cut.DroppedBytesIn;
            serverNext += (uint)cut.DroppedBytesOut;
            writer.WritePacket(cut.At, IpPackets.TcpSegment(client, server, clientNext, serverNext, IpPackets.Tcp.Ack, []),
                CutComment(cut));
        }

        if (capture.ClosedAt is not { } closedAt)
        {
            return;
        }

        var (closer, other) = capture.ClosedByClient ? (client, server) : (server, client);
        var (closerNext, otherNext) = capture.ClosedByClient ? (clientNext, serverNext) : (serverNext, clientNext);
        const IpPackets.Tcp finAck = IpPackets.Tcp.Fin | IpPackets.Tcp.Ack;
        writer.WritePacket(closedAt, IpPackets.TcpSegment(closer, other, closerNext, otherNext, finAck, []),
            $"closed: {capture.CloseReason}");
        writer.WritePacket(closedAt, IpPackets.TcpSegment(other, closer, otherNext, closerNext + 1, finAck, []));
        writer.WritePacket(closedAt, IpPackets.TcpSegment(closer, other, closerNext + 1, otherNext + 1, IpPackets.Tcp.Ack, []));
    }

    private static void WriteUdp(PcapngWriter writer, CaptureSnapshot capture, IPEndPoint client, IPEndPoint server, string comment)
    {
        var max = IpPackets.MaxPayload(udp: true);
        var last = capture.Chunks.Count - 1;
        for (var i = 0; i <= last; i++)
        {
            var chunk = capture.Chunks[i];
            var (from, to) = chunk.Direction == TrafficDirection.In ? (client, server) : (server, client);
            var data = chunk.Data.Span[..Math.Min(max, chunk.Data.Length)]; // a datagram never exceeds it
            var note = i == 0 ? comment : null;
            if (i == last && capture.Cut is { } cut)
            {
                note = note is null ? CutComment(cut) : note + "; " + CutComment(cut);
            }

            writer.WritePacket(chunk.At, IpPackets.UdpDatagram(from, to, data), note);
        }
    }

    private static string CutComment(CaptureCut cut) =>
        $"capture cut here: {cut.Reason}; not stored after this: {cut.DroppedBytesIn} bytes in, " +
        $"{cut.DroppedBytesOut} bytes out ({cut.DroppedChunks} chunks)";

    // The session's real end points; synthetic loopback ones when it has none (Unix) or they do not make a pair.
    private static (IPEndPoint Client, IPEndPoint Server) EndPoints(CaptureSnapshot capture)
    {
        if (capture.Parties is { Client: { } c, Server: { } s } && c.AddressFamily == s.AddressFamily)
        {
            return (c, s);
        }

        var hash = 17u;
        foreach (var ch in capture.Key)
        {
            hash = hash * 31 + ch;
        }

        var port = 10_000 + (int)(hash % 50_000);
        return (new IPEndPoint(IPAddress.Loopback, port), new IPEndPoint(IPAddress.Parse("127.0.0.2"), 9999));
    }
}
