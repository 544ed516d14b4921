using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace EchoBridge.Listener;

/// <summary>
/// A UDP source read straight out of a <see cref="SocketAddress"/> (no allocation per datagram): the address as a
/// 128-bit IPv6 value (IPv4 mapped into it) and the port.
/// </summary>
internal readonly record struct UdpPeerKey(ulong High, ulong Low, ushort Port)
{
    public static UdpPeerKey From(SocketAddress address)
    {
        // sockaddr_in: family(2) port(2, network order) addr(4); sockaddr_in6: family(2) port(2) flowinfo(4) addr(16)
        var bytes = address.Buffer.Span;
        var port = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
        return address.Family == AddressFamily.InterNetwork
            ? new UdpPeerKey(0, 0xFFFF_0000_0000UL | BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]), port)
            : new UdpPeerKey(BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]), port);
    }

    /// <summary>The source address without its port, the unit the rate limit counts by.</summary>
    public UdpPeerKey WithoutPort => this with { Port = 0 };

    /// <summary>The source as an end point for people (IPv4 shown as IPv4 even on a dual-mode socket).</summary>
    public static IPEndPoint ToEndPoint(SocketAddress address)
    {
        var template = address.Family == AddressFamily.InterNetwork ? new IPEndPoint(IPAddress.Any, 0) : new IPEndPoint(IPAddress.IPv6Any, 0);
        var endPoint = (IPEndPoint)template.Create(address);
        return endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
    }
}
