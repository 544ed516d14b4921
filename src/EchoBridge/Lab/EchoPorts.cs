using System.Net;
using EchoBridge.Listener;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace EchoBridge.Lab;

/// <summary>
/// Where the lab's own clients reach the product's echo: the first TCP and UDP endpoints, a wildcard bind reached over
/// loopback. Refuses in plain words when a client of the lab could not be served there.
/// </summary>
public sealed class EchoPorts(ListenerEndpoints endpoints, EchoListener listener, IOptions<ListenerOptions> options)
{
    /// <summary>The TCP echo endpoint a lab client connects to.</summary>
    public IPEndPoint Tcp(string experiment)
    {
        if (options.Value.ProxyProtocol)
        {
            throw new HubException($"The {experiment} experiment cannot run: the echo port expects a PROXY protocol header first (Listener:ProxyProtocol), which the lab's client does not send.");
        }

        if (listener.IsAcceptPaused)
        {
            throw new HubException($"The {experiment} experiment cannot run while accepting is paused (the backlog experiment); resume accepting first.");
        }

        return endpoints.Tcp is [var first, ..] ? Reachable(first)
            : throw new HubException($"The {experiment} experiment cannot run: the TCP echo is not listening.");
    }

    /// <summary>The UDP echo endpoint a lab client sends to.</summary>
    public IPEndPoint Udp(string experiment) =>
        endpoints.Udp is [var first, ..] ? Reachable(first)
            : throw new HubException($"The {experiment} experiment cannot run: the UDP echo is off (Listener:Udp:Enabled).");

    private static IPEndPoint Reachable(IPEndPoint bound) =>
        bound.Address.Equals(IPAddress.Any) || bound.Address.Equals(IPAddress.IPv6Any) // [::] is dual-mode
            ? new IPEndPoint(IPAddress.Loopback, bound.Port)
            : bound;
}
