using System.Net;

namespace EchoBridge.Sessions;

/// <summary>
/// The tie between one bridge socket and the listener session it shows up as. The listener may register the session
/// before or after the bridge learns its socket's local end point, so a link can wait ("pending") until the session
/// appears; <see cref="Session"/> is set once both sides have met.
/// </summary>
public sealed class BridgeLink(IPEndPoint remote, string bridgeSessionId, string via, string? client = null)
{
    private Session? _session;

    /// <summary>The bridge socket's local end point: the listener session's remote end.</summary>
    public IPEndPoint Remote { get; } = remote;

    /// <summary>The bridge session's id.</summary>
    public string BridgeSessionId { get; } = bridgeSessionId;

    /// <summary>Which front door the bridge session came through (<c>hub</c>, <c>websocket</c>).</summary>
    public string Via { get; } = via;

    /// <summary>The bridge's client's address (what its per-address cap counts), when known.</summary>
    public string? Client { get; } = client;

    /// <summary>The listener session, once linked.</summary>
    public Session? Session => Volatile.Read(ref _session);

    internal void Attach(Session session)
    {
        session.LinkBridge(this);
        Volatile.Write(ref _session, session);
    }
}
