namespace EchoBridge.Sessions;

/// <summary>The words a client (the bridge's <c>Receive</c> stream, a WebSocket close) gets for each <see cref="CloseReason"/>.</summary>
public static class CloseReasonText
{
    /// <summary>A short phrase: <c>quit</c>, <c>idle timeout</c>, <c>server shutdown</c>, …</summary>
    public static string Describe(this CloseReason reason) => reason switch
    {
        CloseReason.ClientClosed => "closed by client",
        CloseReason.Quit => "quit",
        CloseReason.Interrupt => "interrupted (Ctrl+C)",
        CloseReason.IdleTimeout => "idle timeout",
        CloseReason.Stalled => "stalled: the echo was not read",
        CloseReason.Shutdown => "server shutdown",
        CloseReason.Disconnected => "disconnected by an operator",
        CloseReason.Reset => "connection reset",
        CloseReason.Error => "server error",
        CloseReason.Evicted => "evicted: the UDP peer table was full",
        CloseReason.TargetClosed => "closed by target",
        CloseReason.ClientGone => "client went away",
        CloseReason.TargetNotReading => "send timed out: the target is not reading",
        CloseReason.ClientNotReading => "stalled: the client is not reading",
        CloseReason.ConnectionError => "connection error",
        _ => reason.ToString(),
    };
}
