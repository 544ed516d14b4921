using EchoBridge.Sessions;

namespace EchoBridge.Bridge;

/// <summary>
/// Where a bridge session's pump puts what the target sent: the hub's frame channel or a WebSocket. A write completes
/// when the sink has taken the bytes (the pump reuses the buffer after); a slow sink slows the pump, and so the socket.
/// </summary>
public interface IBridgeSink
{
    /// <summary>Takes <paramref name="data"/>; throws <see cref="BridgeSinkException"/> when the client is gone or stalled.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>The session has ended: nothing more will be written.</summary>
    void Complete();
}

/// <summary>The client side of a session failed (gone, or not reading): ends the session for <see cref="Reason"/>.</summary>
public sealed class BridgeSinkException(CloseReason reason, Exception? inner = null) : Exception(reason.Describe(), inner)
{
    /// <summary>Why the session ends.</summary>
    public CloseReason Reason { get; } = reason;
}
