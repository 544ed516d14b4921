using System.Net;
using System.Net.Sockets;
using EchoBridge.Contracts;

namespace EchoBridge.Listener;

/// <summary>One stream endpoint the echo listener bound: a TCP address or a Unix socket.</summary>
/// <param name="Kind">TCP or Unix.</param>
/// <param name="Telnet">Telnet-friendly echo (true) or pure byte echo (false).</param>
/// <param name="EndPoint">What was bound: the real port for port 0, the socket path for Unix.</param>
public sealed record EchoEndpoint(SessionKind Kind, bool Telnet, EndPoint EndPoint)
{
    /// <summary>The address as text: <c>127.0.0.1:9999</c>, <c>[::1]:9999</c> or the socket path.</summary>
    public string Address => EndPoint switch
    {
        UnixDomainSocketEndPoint unix => unix.ToString(),
        var other => other.ToString() ?? "",
    };
}
