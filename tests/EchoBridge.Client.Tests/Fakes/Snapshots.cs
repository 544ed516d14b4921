using EchoBridge.Contracts;

namespace EchoBridge.Client.Tests.Fakes;

/// <summary>Snapshots and sessions with sensible defaults, so a test states only what it is about.</summary>
public static class Snapshots
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    public static SessionSummary Session(
        long id, SessionKind kind = SessionKind.Tcp, string remote = "127.0.0.1:40000", long bytesIn = 0,
        long bytesOut = 0, string? bridge = null) =>
        new(id, kind, remote, Start.AddSeconds(id), bytesIn, bytesOut, 0, Start.AddSeconds(30 + id), bridge);

    public static DashboardSnapshot Snapshot(
        IReadOnlyList<SessionSummary>? sessions = null, double messagesIn = 0, TimeSpan? at = null, long total = 0)
    {
        sessions ??= [];
        return new DashboardSnapshot(
            Start + (at ?? TimeSpan.FromMinutes(2)),
            "0.1.0",
            Start,
            [
                new EndpointStatus("tcp", "127.0.0.1:9999", true, true),
                new EndpointStatus("unix", "/tmp/echobridge.sock", true, true),
                new EndpointStatus("udp", "127.0.0.1:9999", true, false),
            ],
            new ListenerCounters(sessions.Count, Math.Max(total, sessions.Count), 0, 100, 100, 10, 10, 2048, 2048, messagesIn, messagesIn),
            sessions);
    }
}
