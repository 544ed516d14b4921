namespace EchoBridge.Bench.Cli;

/// <summary>What the bench measures.</summary>
public enum BenchMode
{
    /// <summary>Closed-loop echo over TCP.</summary>
    Tcp,
    /// <summary>Closed-loop echo over the Unix-domain socket.</summary>
    Unix,
    /// <summary>Closed-loop echo over UDP, one datagram per message.</summary>
    Udp,
    /// <summary>Closed-loop echo through the bridge hub (SignalR), to the hub's <c>echo</c> target.</summary>
    Hub,
    /// <summary>Closed-loop echo through a WebSocket whose bytes are the target's (EchoBridge's <c>/websockify</c>, websockify).</summary>
    WebSocket,
    /// <summary>Opens idle connections and reports the server's resident memory per connection.</summary>
    Idle,
    /// <summary>One connection streaming large chunks while a reader verifies the echo; reports MB/s.</summary>
    Bulk,
}
