using System.Net.Sockets;
using EchoBridge.Contracts;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EchoBridge.Listener;

/// <summary>One stream endpoint of the echo listener as Kestrel binds it (TCP address or Unix socket).</summary>
public sealed class EchoEndpoint(SessionKind kind, bool telnet, ListenOptions listenOptions)
{
    /// <summary>TCP or Unix.</summary>
    public SessionKind Kind { get; } = kind;

    /// <summary>Telnet-friendly echo (true) or pure byte echo (false).</summary>
    public bool Telnet { get; } = telnet;

    /// <summary>Kestrel's options for it; after start, their end point is the bound one (the real port for port 0).</summary>
    public ListenOptions ListenOptions { get; } = listenOptions;

    /// <summary>The address as text: <c>127.0.0.1:9999</c>, <c>[::1]:9999</c> or the socket path.</summary>
    public string Address => ListenOptions.EndPoint switch
    {
        UnixDomainSocketEndPoint unix => unix.ToString(),
        var other => other.ToString() ?? "",
    };
}
