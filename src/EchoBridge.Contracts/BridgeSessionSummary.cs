namespace EchoBridge.Contracts;

/// <summary>
/// One bridge session (hub or WebSocket) as the dashboard sees it. <see cref="Id"/> (<c>b7</c>) is what the capture
/// export URLs take (<c>/api/sessions/b7/capture.pcapng</c>); a session to <c>echo</c> is also a listener session whose
/// <see cref="SessionSummary.BridgeSessionId"/> is this id. <see cref="BytesIn"/> went from the browser to the target,
/// <see cref="BytesOut"/> from the target to the browser. A closed one still retained has <see cref="ClosedAt"/>.
/// </summary>
public sealed record BridgeSessionSummary(
    string Id,
    string Target,
    string Via,
    string LocalEndPoint,
    string RemoteEndPoint,
    DateTimeOffset OpenedAt,
    long BytesIn,
    long BytesOut,
    DateTimeOffset LastActivity,
    DateTimeOffset? ClosedAt = null,
    string? CloseReason = null);
