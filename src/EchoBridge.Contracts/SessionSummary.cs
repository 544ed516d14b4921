namespace EchoBridge.Contracts;

/// <summary>
/// One listener session as the dashboard sees it. <see cref="BridgeSessionId"/> is set when the TCP client is one of
/// the bridge's own sockets, which is how a bridged session is told apart from a telnet one; <see cref="BridgeVia"/> says
/// which front door of the bridge it came through: <c>hub</c> or <c>websocket</c>, and <see cref="BridgeClient"/> the
/// address of the bridge's client (<see cref="Remote"/> is the bridge's own socket). A session that ended
/// and is still retained (its capture can be exported and replayed) has <see cref="ClosedAt"/> and
/// <see cref="CloseReason"/>. <see cref="Local"/> is the listener's end the client reached: <c>127.0.0.1:9999</c>, the
/// Unix socket's path, or <c>udp 127.0.0.1:9999</c>; null when the listener did not say.
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
    string? BridgeSessionId,
    string? BridgeVia = null,
    DateTimeOffset? ClosedAt = null,
    string? CloseReason = null,
    string? BridgeClient = null,
    string? Local = null);
