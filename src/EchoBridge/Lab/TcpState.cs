namespace EchoBridge.Lab;

/// <summary>A TCP socket's state as the kernel numbers it (<c>include/net/tcp_states.h</c>), the <c>st</c> column of <c>/proc/net/tcp</c>.</summary>
public enum TcpState
{
    /// <summary>The code is not one the kernel defines (a newer kernel).</summary>
    Unknown = 0,
    Established = 0x01,
    SynSent = 0x02,
    SynRecv = 0x03,
    FinWait1 = 0x04,
    FinWait2 = 0x05,
    TimeWait = 0x06,
    Close = 0x07,
    CloseWait = 0x08,
    LastAck = 0x09,
    Listen = 0x0A,
    Closing = 0x0B,
    /// <summary>A half-open handshake held by its listener; <c>/proc/net/tcp</c> prints these as SYN_RECV.</summary>
    NewSynRecv = 0x0C,
    /// <summary>Bound but neither listening nor connected (diagnostics only, Linux 6.5+).</summary>
    BoundInactive = 0x0D,
}
