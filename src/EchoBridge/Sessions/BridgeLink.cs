namespace EchoBridge.Sessions;

/// <summary>
/// The tie between one bridge socket and the listener session it shows up as. The listener may register the session
/// before or after the bridge learns its socket's local end point, so a link can wait ("pending") until the session
/// appears; <see cref="Session"/> is set once both sides have met.
/// </summary>
public sealed class BridgeLink(string remote, string bridgeSessionId)
{
    private Session? _session;

    /// <summary>The bridge socket's local end point, as the listener writes a session's remote end (<c>127.0.0.1:50123</c>).</summary>
    public string Remote { get; } = remote;

    /// <summary>The bridge session's id.</summary>
    public string BridgeSessionId { get; } = bridgeSessionId;

    /// <summary>The listener session, once linked.</summary>
    public Session? Session => Volatile.Read(ref _session);

    internal void Attach(Session session)
    {
        session.BridgeSessionId = BridgeSessionId;
        Volatile.Write(ref _session, session);
    }
}
