namespace EchoBridge.Sessions;

/// <summary>
/// Why a session ended: a listener session, or a bridge session of either front door (hub or WebSocket). One type, so
/// a bridge session whose target is the echo listener can pass on the listener's own reason as it is.
/// </summary>
public enum CloseReason
{
    /// <summary>The client closed its side (or finished a half-close); for the bridge, the client's <c>Close</c>.</summary>
    ClientClosed,
    /// <summary>The client sent a line that is exactly <c>quit</c>.</summary>
    Quit,
    /// <summary>The client sent telnet IAC IP (Ctrl+C).</summary>
    Interrupt,
    /// <summary>No traffic for longer than the idle timeout.</summary>
    IdleTimeout,
    /// <summary>The client stopped reading its echo for longer than the idle timeout.</summary>
    Stalled,
    /// <summary>The server is shutting down.</summary>
    Shutdown,
    /// <summary>Someone ended it from the dashboard or the hub's <c>Disconnect</c>.</summary>
    Disconnected,
    /// <summary>The connection was reset or aborted.</summary>
    Reset,
    /// <summary>An unexpected fault; the log says which.</summary>
    Error,
    /// <summary>A UDP peer ended to make room for a new one (the peer table was full).</summary>
    Evicted,
    /// <summary>Bridge: the target closed its side.</summary>
    TargetClosed,
    /// <summary>Bridge: the hub connection or WebSocket that owned the session went away.</summary>
    ClientGone,
    /// <summary>Bridge: a send to the target did not complete within the send timeout (the target is not reading).</summary>
    TargetNotReading,
    /// <summary>Bridge: what the target sent was not taken by the client within the send timeout.</summary>
    ClientNotReading,
    /// <summary>Bridge: the socket to the target failed with an error other than a reset.</summary>
    ConnectionError,
}
