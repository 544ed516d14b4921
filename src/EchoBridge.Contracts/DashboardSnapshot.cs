namespace EchoBridge.Contracts;

/// <summary>
/// What <c>Watch()</c> streams a few times a second. Its size is bounded: <see cref="Sessions"/> holds only the most
/// recently active sessions, <see cref="Counters"/> says how many there are in all; <see cref="RecentlyClosed"/> the
/// most recently closed sessions still retained (most recent first; null from servers that do not send them).
/// </summary>
public sealed record DashboardSnapshot(
    DateTimeOffset At,
    string Version,
    DateTimeOffset StartedAt,
    IReadOnlyList<EndpointStatus> Endpoints,
    ListenerCounters Counters,
    IReadOnlyList<SessionSummary> Sessions,
    IReadOnlyList<SessionSummary>? RecentlyClosed = null);
