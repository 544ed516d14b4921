using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace EchoBridge.Capture.Export;

/// <summary>Builds raw IPv4/IPv6 packets carrying one TCP segment or UDP datagram, checksums included.</summary>
public static class IpPackets
{
    /// <summary>TCP flags.</summary>
    [Flags]
    public enum Tcp : byte
    {
        /// <summary>No more data from the sender.</summary>
        Fin = 0x01,
        /// <summary>Synchronise sequence numbers.</summary>
        Syn = 0x02,
        /// <summary>Reset.</summary>
        Rst = 0x04,
        /// <summary>Push.</summary>
        Psh = 0x08,
        /// <summary>The acknowledgement number is valid.</summary>
        Ack = 0x10,
    }

    /// <summary>The largest payload of one packet: an IPv4 total length is at most 65535 (IPv6's header is outside its length).</summary>
    public static int MaxPayload(bool udp) => 65535 - 20 - (udp ? 8 : 20);

    /// <summary>A TCP segment from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static byte[] TcpSegment(IPEndPoint from, IPEndPoint to, uint seq, uint ack, Tcp flags, ReadOnlySpan<byte> payload)
    {
        var packet = Ip(from, to, ProtocolType.Tcp, 20 + payload.Length, out var at);
        var tcp = packet.AsSpan(at);
        BinaryPrimitives.WriteUInt16BigEndian(tcp, (ushort)from.Port);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], (ushort)to.Port);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], seq);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], ack);
        tcp[12] = 5 << 4; // header of 5 words, no options
        tcp[13] = (byte)flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 65535); // window
        payload.CopyTo(tcp[20..]);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], TransportChecksum(from, to, ProtocolType.Tcp, tcp));
        return packet;
    }

    /// <summary>A UDP datagram from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static byte[] UdpDatagram(IPEndPoint from, IPEndPoint to, ReadOnlySpan<byte> payload)
    {
        var packet = Ip(from, to, ProtocolType.Udp, 8 + payload.Length, out var at);
        var udp = packet.AsSpan(at);
        BinaryPrimitives.WriteUInt16BigEndian(udp, (ushort)from.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], (ushort)to.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(8 + payload.Length));
        payload.CopyTo(udp[8..]);
        var checksum = TransportChecksum(from, to, ProtocolType.Udp, udp);
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], checksum == 0 ? (ushort)0xFFFF : checksum);
        return packet;
    }

    private static byte[] Ip(IPEndPoint from, IPEndPoint to, ProtocolType protocol, int transportLength, out int at)
    {
        if (from.AddressFamily == AddressFamily.InterNetwork)
        {
            var packet = new byte[20 + transportLength];
            var ip = packet.AsSpan();
            ip[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)packet.Length);
            BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0x4000); // don't fragment
            ip[8] = 64;
            ip[9] = (byte)protocol;
            from.Address.TryWriteBytes(ip[12..16], out _);
            to.Address.TryWriteBytes(ip[16..20], out _);
            BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Fold(Sum(ip[..20], 0)));
            at = 20;
            return packet;
        }

        var v6 = new byte[40 + transportLength];
        var span = v6.AsSpan();
        span[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)transportLength);
        span[6] = (byte)protocol;
        span[7] = 64;
        from.Address.TryWriteBytes(span[8..24], out _);
        to.Address.TryWriteBytes(span[24..40], out _);
        at = 40;
        return v6;
    }

    // RFC 768/793 checksum over the pseudo-header (addresses, protocol, length) and the transport header and data.
    private static ushort TransportChecksum(IPEndPoint from, IPEndPoint to, ProtocolType protocol, ReadOnlySpan<byte> transport)
    {
        Span<byte> pseudo = stackalloc byte[40];
        var addressLength = from.AddressFamily == AddressFamily.InterNetwork ? 4 : 16;
        from.Address.TryWriteBytes(pseudo, out _);
        to.Address.TryWriteBytes(pseudo[addressLength..], out _);
        ulong sum = Sum(pseudo[..(2 * addressLength)], 0);
        sum += (ulong)protocol + (ulong)transport.Length;
        return Fold(Sum(transport, sum));
    }

    private static ulong Sum(ReadOnlySpan<byte> data, ulong sum)
    {
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            sum += (ulong)data[i] << 8;
        }

        return sum;
    }

    private static ushort Fold(ulong sum)
    {
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
