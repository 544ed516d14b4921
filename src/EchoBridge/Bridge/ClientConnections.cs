using System.Collections.Concurrent;
using System.Net;
using EchoBridge.Hosting;
using Microsoft.Extensions.Options;

namespace EchoBridge.Bridge;

/// <summary>
/// The bridge's client connections of both front doors (hub connections and WebSockets) against one budget:
/// <c>Bridge:MaxClientConnections</c> in all and <c>Bridge:MaxClientConnectionsPerAddress</c> per client address. One
/// budget because either door costs the same (a descriptor, buffers, a keep-alive) and a client can pick either. The
/// total is the one fitted to the descriptors (<see cref="ResourceBudget.MaxBridgeClients"/>).
/// </summary>
public sealed class ClientConnections(IOptions<BridgeOptions> options, ResourceBudget budget)
{
    private readonly ConcurrentDictionary<IPAddress, int> _byAddress = new();
    private int _count;

    /// <summary>Connections admitted now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Admits one more connection from <paramref name="address"/>, or says in words why not (null when admitted).
    /// Every admitted connection is <see cref="Release"/>d exactly once.
    /// </summary>
    public string? TryAdmit(IPAddress? address)
    {
        var settings = options.Value;
        if (Interlocked.Increment(ref _count) > budget.MaxBridgeClients)
        {
            Interlocked.Decrement(ref _count);
            return TooMany();
        }

        var key = KeyOf(address);
        if (_byAddress.AddOrUpdate(key, 1, static (_, n) => n + 1) > settings.MaxClientConnectionsPerAddress)
        {
            Release(address);
            return TooManyFromAddress(settings);
        }

        return null;
    }

    /// <summary>Whether <see cref="TryAdmit"/> would refuse now (a cheap pre-check; it does not reserve).</summary>
    public string? WouldRefuse(IPAddress? address)
    {
        var settings = options.Value;
        if (Count >= budget.MaxBridgeClients)
        {
            return TooMany();
        }

        return _byAddress.TryGetValue(KeyOf(address), out var n) && n >= settings.MaxClientConnectionsPerAddress
            ? TooManyFromAddress(settings)
            : null;
    }

    /// <summary>One admitted connection from <paramref name="address"/> ended.</summary>
    public void Release(IPAddress? address)
    {
        var key = KeyOf(address);
        while (_byAddress.TryGetValue(key, out var n))
        {
            if (n <= 1 ? _byAddress.TryRemove(KeyValuePair.Create(key, n)) : _byAddress.TryUpdate(key, n - 1, n))
            {
                break;
            }
        }

        Interlocked.Decrement(ref _count);
    }

    /// <summary>The reason counted in <c>echobridge_connections_refused_total</c> for <paramref name="refusal"/>.</summary>
    public static string ReasonOf(string refusal) =>
        refusal.Contains("your address", StringComparison.Ordinal) ? "client connection limit per address reached" : "client connection limit reached";

    private string TooMany() =>
        $"Too many connections: the server takes at most {budget.MaxBridgeClients} hub and WebSocket connections. Try again later.";

    private static string TooManyFromAddress(BridgeOptions settings) =>
        $"Too many connections from your address: at most {settings.MaxClientConnectionsPerAddress} hub and WebSocket connections per address. Close some first.";

    // IPv4 clients of a dual-mode socket arrive as ::ffff:a.b.c.d: one address either way. No address (a test server,
    // a Unix socket) counts as one client.
    private static IPAddress KeyOf(IPAddress? address) =>
        address is null ? IPAddress.None : address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
