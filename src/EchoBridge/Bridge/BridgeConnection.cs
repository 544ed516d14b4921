using System.Collections.Concurrent;
using System.Net;

namespace EchoBridge.Bridge;

/// <summary>
/// What the bridge keeps about one hub connection (the hub itself keeps nothing): its address, its sessions and how
/// many streams it runs. Lives from the connection's start to its end. Kept small: an idle browser tab holds one.
/// </summary>
internal sealed class BridgeConnection(IPAddress? address)
{
    private int _sessionSlots, _streams;

    /// <summary>The client's address (what the per-address connection cap counts).</summary>
    public IPAddress? Address { get; } = address;

    // A connection has a few sessions, opened and closed rarely: one lock and a few buckets, not one per CPU and 31.
    public ConcurrentDictionary<string, HubSession> Sessions { get; } = new(concurrencyLevel: 1, capacity: 4, StringComparer.Ordinal);

    /// <summary>Reserves room for one more session; false at the limit.</summary>
    public bool TryReserveSession(int limit) => TryReserve(ref _sessionSlots, limit);

    public void ReleaseSession() => Interlocked.Decrement(ref _sessionSlots);

    /// <summary>Reserves room for one more stream; false at the limit.</summary>
    public bool TryReserveStream(int limit) => TryReserve(ref _streams, limit);

    public void ReleaseStream() => Interlocked.Decrement(ref _streams);

    private static bool TryReserve(ref int count, int limit)
    {
        if (Interlocked.Increment(ref count) > limit)
        {
            Interlocked.Decrement(ref count);
            return false;
        }

        return true;
    }
}
