using System.Net;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace EchoBridge.Hosting;

/// <summary>
/// What the HTTP endpoint (dashboard, hub, health, metrics) is bound to, and so whether it is reachable beyond
/// loopback: the one place that decides it. Unknown until the server has started (<see cref="HttpAccessStartup"/>
/// publishes it then); whoever asks before must fail closed.
/// </summary>
public sealed class HttpExposure
{
    private readonly CancellationTokenSource _published = new();
    private volatile HttpBinding? _binding;

    /// <summary>The HTTP endpoint's addresses and reach, or null while the server is starting.</summary>
    public HttpBinding? Binding => _binding;

    /// <summary>
    /// Fires once, when <see cref="Binding"/> becomes known; afterwards a token that never fires (a fired one would
    /// make a change listener that asks again call itself for ever).
    /// </summary>
    public IChangeToken Published => _binding is null ? new CancellationChangeToken(_published.Token) : NullChangeToken.Singleton;

    /// <summary>Records what the server bound, from its address list (<c>IServerAddressesFeature</c>).</summary>
    internal void Publish(IEnumerable<string> serverAddresses)
    {
        // A Unix-socket binding (http://unix:/path) is reachable from this machine only, so it does not count.
        var http = new List<Uri>();
        foreach (var address in serverAddresses)
        {
            if (address.Contains("unix:", StringComparison.OrdinalIgnoreCase) || ToUri(address) is not { } uri)
            {
                continue;
            }

            http.Add(uri);
        }

        _binding = new HttpBinding(http, http.TrueForAll(IsLoopback));
        _published.Cancel();
    }

    /// <summary>Whether <paramref name="address"/> (<c>http://127.0.0.1:8080</c>, <c>http://localhost:8080</c>) is reachable from this machine only.</summary>
    public static bool IsLoopback(Uri address) =>
        address.IsLoopback || (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>Whether <paramref name="address"/> is a wildcard bind (all interfaces).</summary>
    public static bool IsWildcard(Uri address) =>
        IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any));

    // Kestrel reports wildcard binds as http://[::]:8080 or http://0.0.0.0:8080, and keeps + and * as configured.
    private static Uri? ToUri(string address) =>
        Uri.TryCreate(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal),
            UriKind.Absolute, out var uri) ? uri : null;
}

/// <summary>What the HTTP endpoint is bound to.</summary>
/// <param name="Addresses">Its addresses, wildcards as <c>0.0.0.0</c> or <c>[::]</c>.</param>
/// <param name="LoopbackOnly">Whether every one of them is a loopback address (or <c>localhost</c>).</param>
public sealed record HttpBinding(IReadOnlyList<Uri> Addresses, bool LoopbackOnly)
{
    /// <summary>The ports the HTTP endpoint listens on.</summary>
    public IEnumerable<int> Ports => Addresses.Select(a => a.Port).Distinct();
}
