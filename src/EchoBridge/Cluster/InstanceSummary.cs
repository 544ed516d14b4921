using EchoBridge.Contracts;

namespace EchoBridge.Cluster;

/// <summary>What one instance publishes to Redis each tick: who it is, its counters and its most recently active sessions (bounded).</summary>
public sealed record InstanceSummary(
    string Name,
    DateTimeOffset StartedAt,
    DateTimeOffset At,
    ListenerCounters Counters,
    IReadOnlyList<SessionSummary> Sessions);
