using System.Net;

namespace EchoBridge.Bridge;

/// <summary>An allow-listed target resolved to where the bridge connects: a name the browser used, an end point it never sees.</summary>
public sealed record BridgeTarget(string Name, string Description, EndPoint EndPoint)
{
    /// <summary>Whether this is the hosted echo listener (whose sessions the bridge links to its own).</summary>
    public bool IsEcho => string.Equals(Name, BridgeOptions.EchoTarget, StringComparison.OrdinalIgnoreCase);
}
