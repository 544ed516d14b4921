using System.Threading.RateLimiting;

namespace EchoBridge.Hosting;

/// <summary>
/// Rate limits by key (a UDP source address, a hub connection): one token bucket per key, made on its first use and
/// dropped once it has been full and unused for a while, all refilled by the partitioned limiter's one timer.
/// </summary>
internal static class TokenBuckets
{
    /// <summary>
    /// A limiter with a bucket of <paramref name="bucket"/>'s shape for each <paramref name="keyOf"/> of a resource.
    /// Over the limit is refused, never queued. Pass a static lambda as <paramref name="keyOf"/>: an acquire then
    /// allocates nothing of ours (the partitioned limiter itself allocates 48 B per acquire).
    /// </summary>
    public static PartitionedRateLimiter<TResource> PerKey<TResource, TKey>(int tokenLimit, int tokensPerPeriod,
        TimeSpan replenishmentPeriod, Func<TResource, TKey> keyOf)
        where TKey : notnull
    {
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = tokenLimit,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = replenishmentPeriod,
            QueueLimit = 0,
            AutoReplenishment = false, // the partitioned limiter's timer refills every bucket
        };

        // Made once: RateLimitPartition.GetTokenBucketLimiter, or a factory lambda made per call, would allocate per
        // acquire.
        Func<TKey, RateLimiter> create = _ => new TokenBucketRateLimiter(bucket);
        return PartitionedRateLimiter.Create<TResource, TKey>(resource => RateLimitPartition.Get(keyOf(resource), create));
    }
}
