using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace EchoBridge.Listener;

/// <summary>
/// TCP connections open per client IP address, capped at <c>Listener:MaxConnectionsPerAddress</c> (nginx's
/// <c>limit_conn</c>): one address cannot take every place. An address's entry goes when its last connection does.
/// </summary>
public sealed class ClientAddressCounter(IOptions<ListenerOptions> options)
{
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();

    /// <summary>The cap per address.</summary>
    public int Limit => options.Value.MaxConnectionsPerAddress;

    /// <summary>Counts one more connection from <paramref name="address"/>, unless it is at the cap.</summary>
    public bool TryAdd(IPAddress address)
    {
        address = Normalize(address);
        while (true)
        {
            if (!_open.TryGetValue(address, out var count))
            {
                if (_open.TryAdd(address, 1))
                {
                    return true;
                }

                continue;
            }

            if (count >= Limit)
            {
                return false;
            }

            if (_open.TryUpdate(address, count + 1, count))
            {
                return true;
            }
        }
    }

    /// <summary>Counts one connection from <paramref name="address"/> gone.</summary>
    public void Remove(IPAddress address)
    {
        address = Normalize(address);
        while (_open.TryGetValue(address, out var count))
        {
            if (count <= 1 ? _open.TryRemove(KeyValuePair.Create(address, count)) : _open.TryUpdate(address, count - 1, count))
            {
                return;
            }
        }
    }

    /// <summary>Connections open from <paramref name="address"/>.</summary>
    public int CountOf(IPAddress address) => _open.TryGetValue(Normalize(address), out var count) ? count : 0;

    // A dual-mode socket sees IPv4 clients as ::ffff:a.b.c.d; they are the same client as a.b.c.d.
    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
