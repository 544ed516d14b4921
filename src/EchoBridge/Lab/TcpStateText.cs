namespace EchoBridge.Lab;

/// <summary>
/// Each state's kernel name and a one-line explanation in plain words. English only for now: one lookup by state, so
/// it moves to resource files (one key per state) when the lab gets its Spanish text.
/// </summary>
public static class TcpStateText
{
    /// <summary>The name the kernel and <c>ss</c>/<c>netstat</c> use: <c>ESTABLISHED</c>, <c>TIME_WAIT</c>…</summary>
    public static string Name(TcpState state) => state switch
    {
        TcpState.Established => "ESTABLISHED",
        TcpState.SynSent => "SYN_SENT",
        TcpState.SynRecv => "SYN_RECV",
        TcpState.FinWait1 => "FIN_WAIT1",
        TcpState.FinWait2 => "FIN_WAIT2",
        TcpState.TimeWait => "TIME_WAIT",
        TcpState.Close => "CLOSE",
        TcpState.CloseWait => "CLOSE_WAIT",
        TcpState.LastAck => "LAST_ACK",
        TcpState.Listen => "LISTEN",
        TcpState.Closing => "CLOSING",
        TcpState.NewSynRecv => "NEW_SYN_RECV",
        TcpState.BoundInactive => "BOUND_INACTIVE",
        _ => "UNKNOWN",
    };

    /// <summary>What the state means, in one line a learner can read.</summary>
    public static string Explain(TcpState state) => state switch
    {
        TcpState.Established => "Connected: both sides can send and receive.",
        TcpState.SynSent => "The client sent its SYN and waits for the server's answer (the handshake's first step).",
        TcpState.SynRecv => "The server got a SYN and answered; it waits for the client's final ACK to finish the handshake.",
        TcpState.FinWait1 => "This side closed (sent FIN) and waits for the other side to acknowledge it.",
        TcpState.FinWait2 => "This side's close was acknowledged; it waits for the other side to close too.",
        TcpState.TimeWait => "This side closed first; it lingers (about a minute) so stray packets of the old connection die out.",
        TcpState.Close => "Closed: the socket is not in use.",
        TcpState.CloseWait => "The other side closed; this side has not called close() yet.",
        TcpState.LastAck => "Both sides closed, this one last; it waits for the final acknowledgement.",
        TcpState.Listen => "Listening: waiting for clients; finished handshakes wait in the accept queue until accept().",
        TcpState.Closing => "Both sides closed at the same moment; each waits for the other's acknowledgement.",
        TcpState.NewSynRecv => "A half-open handshake the listener holds until the client's final ACK arrives.",
        TcpState.BoundInactive => "Bound to an address but neither listening nor connected.",
        _ => "A state this server does not know (a newer kernel).",
    };
}
