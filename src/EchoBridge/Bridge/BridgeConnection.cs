using System.Collections.Concurrent;

namespace EchoBridge.Bridge;

/// <summary>
/// What the bridge keeps about one hub connection (the hub itself keeps nothing): its sessions and how many streams it
/// runs. Lives from the connection's start to its end. Kept small: an idle browser tab holds one of these.
/// </summary>
internal sealed class BridgeConnection
{
    private int _sessionSlots, _streams;

    // A connection has a few sessions, opened and closed rarely: one lock and a few buckets, not one per CPU and 31.
    public ConcurrentDictionary<string, BridgeSession> Sessions { get; } = new(concurrencyLevel: 1, capacity: 4, StringComparer.Ordinal);

    /// <summary>Reserves room for one more session; false at the limit.</summary>
    public bool TryReserveSession(int limit)
    {
        if (Interlocked.Increment(ref _sessionSlots) > limit)
        {
            Interlocked.Decrement(ref _sessionSlots);
            return false;
        }

        return true;
    }

    public void ReleaseSession() => Interlocked.Decrement(ref _sessionSlots);

    /// <summary>Reserves room for one more stream; false at the limit.</summary>
    public bool TryReserveStream(int limit)
    {
        if (Interlocked.Increment(ref _streams) > limit)
        {
            Interlocked.Decrement(ref _streams);
            return false;
        }

        return true;
    }

    public void ReleaseStream() => Interlocked.Decrement(ref _streams);
}
