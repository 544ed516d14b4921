namespace EchoBridge.Contracts;

/// <summary>
/// One EchoBridge instance of a cluster: <see cref="Up"/> while its heartbeat is fresh; a gone one (stopped, killed,
/// cut off) has <see cref="GoneAt"/> (when its heartbeat expired) and no <see cref="Counters"/>.
/// </summary>
public sealed record InstanceStatus(
    string Name,
    bool Up,
    DateTimeOffset? StartedAt,
    DateTimeOffset LastSeen,
    DateTimeOffset? GoneAt,
    ListenerCounters? Counters);
