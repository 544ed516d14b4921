namespace EchoBridge.Contracts;

/// <summary>
/// What <c>Watch()</c> streams a few times a second. Its size is bounded: <see cref="Sessions"/> holds only the most
/// recently active sessions, <see cref="Counters"/> says how many there are in all; <see cref="RecentlyClosed"/> the
/// most recently closed sessions still retained (most recent first; null from servers that do not send them);
/// <see cref="Bridges"/> the bridge's own sessions, open ones (most recently active first) then retained closed ones
/// (most recently closed first), so sessions to targets other than <c>echo</c> are listed and exportable too.
/// <see cref="Cluster"/> is set when the server runs in a cluster (Redis configured): then <see cref="Sessions"/> holds
/// the most recently active sessions of every instance that is up, each with its <see cref="SessionSummary.Instance"/>,
/// and <see cref="Counters"/> the sum over those instances.
/// </summary>
public sealed record DashboardSnapshot(
    DateTimeOffset At,
    string Version,
    DateTimeOffset StartedAt,
    IReadOnlyList<EndpointStatus> Endpoints,
    ListenerCounters Counters,
    IReadOnlyList<SessionSummary> Sessions,
    IReadOnlyList<SessionSummary>? RecentlyClosed = null,
    IReadOnlyList<BridgeSessionSummary>? Bridges = null,
    ClusterStatus? Cluster = null);
