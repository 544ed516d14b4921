namespace EchoBridge.Sessions;

/// <summary>Why a listener session ended.</summary>
public enum CloseReason
{
    /// <summary>The client closed its side (or finished a half-close).</summary>
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
}
