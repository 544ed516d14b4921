namespace EchoBridge.Sessions;

/// <summary>Running totals of the listener since start: closed sessions plus the live ones.</summary>
public readonly record struct ListenerTotals(
    int ActiveSessions,
    long TotalSessions,
    long RefusedConnections,
    long BytesIn,
    long BytesOut,
    long MessagesIn,
    long MessagesOut);
