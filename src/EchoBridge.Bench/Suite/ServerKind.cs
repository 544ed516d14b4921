namespace EchoBridge.Bench.Suite;

/// <summary>The servers the suite starts.</summary>
public enum ServerKind
{
    /// <summary>The C epoll echo server: the ceiling every figure is divided by.</summary>
    Refecho,

    /// <summary>EchoBridge, published, as shipped (telnet on) minus the limits that refuse a closed loop.</summary>
    EchoBridge,

    /// <summary><c>bench/ceiling/SignalRCeiling.cs</c>: the bridge hub's contract with no socket behind it.</summary>
    Ceiling,

    /// <summary>websockify, relaying WebSockets to refecho (when installed).</summary>
    Websockify,
}
