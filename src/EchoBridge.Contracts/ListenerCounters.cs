namespace EchoBridge.Contracts;

/// <summary>Running totals of the echo listener since start, plus per-second rates over the last snapshot interval.</summary>
public sealed record ListenerCounters(
    int ActiveSessions,
    long TotalSessions,
    long RefusedConnections,
    long BytesIn,
    long BytesOut,
    long MessagesIn,
    long MessagesOut,
    double BytesInPerSecond,
    double BytesOutPerSecond,
    double MessagesInPerSecond,
    double MessagesOutPerSecond);
