using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using EchoBridge.Contracts;

namespace EchoBridge.Listener;

/// <summary>One stream endpoint the echo listener bound: a TCP or TLS address, or a Unix socket.</summary>
/// <param name="Kind">TCP, TLS or Unix.</param>
/// <param name="Telnet">Telnet-friendly echo (true) or pure byte echo (false).</param>
/// <param name="EndPoint">What was bound: the real port for port 0, the socket path for Unix.</param>
public sealed record EchoEndpoint(SessionKind Kind, bool Telnet, EndPoint EndPoint)
{
    /// <summary>Whether each connection starts with a PROXY protocol header.</summary>
    public bool ProxyProtocol { get; init; }

    /// <summary>The TLS server settings (its certificate) on a TLS endpoint; null elsewhere.</summary>
    public SslServerAuthenticationOptions? Tls { get; init; }

    /// <summary>How long a client has for the PROXY header and the TLS handshake.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The address as text: <c>127.0.0.1:9999</c>, <c>[::1]:9999</c> or the socket path.</summary>
    public string Address => EndPoint switch
    {
        UnixDomainSocketEndPoint unix => unix.ToString(),
        var other => other.ToString() ?? "",
    };
}
