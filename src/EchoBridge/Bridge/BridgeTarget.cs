using System.Net;

namespace EchoBridge.Bridge;

/// <summary>An allow-listed target resolved to where the bridge connects: a name the browser used, an end point it never sees.</summary>
public sealed record BridgeTarget(string Name, string Description, EndPoint EndPoint)
{
    /// <summary>Whether this is the hosted echo listener (whose sessions the bridge links to its own).</summary>
    public bool IsEcho => string.Equals(Name, BridgeOptions.EchoTarget, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// For a TLS target, the host name (or address) the handshake sends as SNI and checks the certificate against;
    /// null for a plain TCP target.
    /// </summary>
    public string? TlsHost { get; init; }

    /// <summary>Whether any server certificate is accepted (<c>AllowUntrustedCertificate</c>, lab targets).</summary>
    public bool AllowUntrustedCertificate { get; init; }

    /// <summary>
    /// Whether the target reads a PROXY protocol header first: the hosted echo with <c>Listener:ProxyProtocol=true</c>
    /// (behind a load balancer), which would refuse the bridge's connection without one.
    /// </summary>
    public bool ExpectsProxyHeader { get; init; }
}
