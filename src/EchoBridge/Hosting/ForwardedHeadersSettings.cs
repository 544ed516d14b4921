using System.Net;
using System.Net.Sockets;

namespace EchoBridge.Hosting;

/// <summary>
/// Section <c>EchoBridge:ForwardedHeaders</c>: the reverse proxies whose <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> are believed. Empty = nobody's (the client is the connection's peer).
/// </summary>
public sealed class ForwardedHeadersSettings
{
    /// <summary>The setting's path, for error messages.</summary>
    public const string Path = EchoBridgeOptions.Section + ":ForwardedHeaders";

    /// <summary>The most hops any request may be traced back through.</summary>
    public const int MaxForwardLimit = 10;

    /// <summary>Proxies trusted by address (<c>10.0.0.5</c>, <c>2001:db8::5</c>).</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxies trusted by network, in CIDR notation (<c>10.0.0.0/8</c>).</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>
    /// How many entries of <c>X-Forwarded-For</c> are taken, from the right: one per trusted proxy in a chain (every
    /// hop must itself be trusted, so a higher number only matters for chains of trusted proxies).
    /// </summary>
    public int ForwardLimit { get; set; } = 1;

    /// <summary>Whether any proxy is trusted.</summary>
    public bool Enabled => KnownProxies.Length > 0 || KnownNetworks.Length > 0;

    /// <summary>The trusted proxies' addresses (valid settings only).</summary>
    public IEnumerable<IPAddress> Proxies() => KnownProxies.Select(text => ParseAddress(text)!);

    /// <summary>The trusted networks (valid settings only).</summary>
    public IEnumerable<System.Net.IPNetwork> Networks() => KnownNetworks.Select(text => ParseNetwork(text)!.Value);

    /// <summary>Adds a line per bad value to <paramref name="failures"/>, each naming the setting.</summary>
    public void Validate(List<string> failures)
    {
        foreach (var text in KnownProxies.Where(text => ParseAddress(text) is null))
        {
            failures.Add($"{Path}:KnownProxies must be IP addresses such as 10.0.0.5 (got '{text}')");
        }

        foreach (var text in KnownNetworks.Where(text => ParseNetwork(text) is null))
        {
            failures.Add($"{Path}:KnownNetworks must be networks in CIDR notation such as 10.0.0.0/8, with no host bits set (got '{text}')");
        }

        if (ForwardLimit is < 1 or > MaxForwardLimit)
        {
            failures.Add($"{Path}:ForwardLimit must be between 1 and {MaxForwardLimit} (got {ForwardLimit})");
        }
    }

    // IPAddress.Parse takes "10" or "10.1" as IPv4 shorthands: in a trust list that is a typo, not an address.
    private static IPAddress? ParseAddress(string? text) =>
        IPAddress.TryParse(text?.Trim(), out var address)
        && (address.AddressFamily == AddressFamily.InterNetworkV6 || text!.Count(c => c == '.') == 3)
            ? address
            : null;

    // 10.0.0.1/8 parses as 10.0.0.0/8: refused, since the typo for 10.0.0.1/32 it may be would trust a whole network.
    private static System.Net.IPNetwork? ParseNetwork(string? text) =>
        System.Net.IPNetwork.TryParse(text?.Trim(), out var network)
        && ParseAddress(text!.Trim().Split('/')[0]) is { } address && address.Equals(network.BaseAddress)
            ? network
            : null;
}
