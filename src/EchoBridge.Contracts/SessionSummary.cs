namespace EchoBridge.Contracts;

/// <summary>
/// One listener session as the dashboard sees it. <see cref="BridgeSessionId"/> is set when the TCP client is one of
/// the bridge's own sockets, which is how a bridged session is told apart from a telnet one.
/// </summary>
public sealed record SessionSummary(
    long Id,
    SessionKind Kind,
    string Remote,
    DateTimeOffset ConnectedAt,
    long BytesIn,
    long BytesOut,
    long Lines,
    DateTimeOffset LastActivity,
    string? BridgeSessionId);
