namespace EchoBridge.Contracts;

/// <summary>
/// What <c>Watch()</c> streams a few times a second. Its size is bounded: <see cref="Sessions"/> holds only the most
/// recently active sessions, <see cref="Counters"/> says how many there are in all; <see cref="RecentlyClosed"/> the
/// most recently closed sessions still retained (most recent first; null from servers that do not send them);
/// <see cref="Bridges"/> the bridge's own sessions, open ones (most recently active first) then retained closed ones
/// (most recently closed first), so sessions to targets other than <c>echo</c> are listed and exportable too.
/// </summary>
public sealed record DashboardSnapshot(
    DateTimeOffset At,
    string Version,
    DateTimeOffset StartedAt,
    IReadOnlyList<EndpointStatus> Endpoints,
    ListenerCounters Counters,
    IReadOnlyList<SessionSummary> Sessions,
    IReadOnlyList<SessionSummary>? RecentlyClosed = null,
    IReadOnlyList<BridgeSessionSummary>? Bridges = null);
