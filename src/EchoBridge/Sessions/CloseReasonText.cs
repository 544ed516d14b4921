namespace EchoBridge.Sessions;

/// <summary>The words a client (and the bridge's <c>Receive</c> stream) gets for each <see cref="CloseReason"/>.</summary>
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
        _ => reason.ToString(),
    };
}
