using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace EchoBridge.Bridge;

/// <summary>
/// What the bridge keeps about one hub connection (the hub itself keeps nothing): its sessions, how many streams it
/// runs, and its send-rate bucket. Lives from the connection's start to its end.
/// </summary>
internal sealed class BridgeConnection(string connectionId, BridgeOptions settings, TimeProvider time) : IDisposable
{
    private int _sessionSlots, _streams;

    public string ConnectionId { get; } = connectionId;

    public ConcurrentDictionary<string, BridgeSession> Sessions { get; } = new(StringComparer.Ordinal);

    public TokenBucketRateLimiter SendRate { get; } = new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = settings.SendBurst,
        TokensPerPeriod = settings.SendRatePerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0, // over the rate is refused, never queued
        AutoReplenishment = true,
    });

    public TimeProvider Time { get; } = time;

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

    public void Dispose() => SendRate.Dispose();
}
