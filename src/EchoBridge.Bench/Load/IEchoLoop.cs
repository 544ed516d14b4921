namespace EchoBridge.Bench.Load;

/// <summary>One connection of a closed-loop run: send a message, wait for its whole echo, check it, repeat.</summary>
public interface IEchoLoop : IAsyncDisposable
{
    /// <summary>What this loop saw.</summary>
    LoopStats Stats { get; }

    /// <summary>One round trip of message <paramref name="seq"/>: sent, its echo read back whole and compared.</summary>
    ValueTask<EchoOutcome> EchoOnceAsync(long seq);

    /// <summary>
    /// Whether the connection is still open with nothing waiting to be read, as an idle one should be: one the server
    /// closed, or wrote to unasked (a "server busy" notice before it hangs up), is not.
    /// </summary>
    bool IsOpenAndQuiet();

    /// <summary>
    /// The connection will only wait from now on (the idle mode). A transport that has to keep reading to stay
    /// alive (a WebSocket answers the server's pings only while a read is posted) posts its read here.
    /// </summary>
    void BeginIdle()
    {
        // a socket stays open by itself
    }

    /// <summary>Ends any pending I/O at once (the run is over and an echo is overdue).</summary>
    void Abort();
}
