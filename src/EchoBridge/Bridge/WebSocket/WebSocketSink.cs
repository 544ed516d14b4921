using System.Net.WebSockets;
using EchoBridge.Sessions;

namespace EchoBridge.Bridge.WebSocket;

/// <summary>
/// Sends what the target sent to the WebSocket client as one binary message per read, straight from the pump's pooled
/// buffer. A send the client does not take within the send timeout (it stopped reading and Kestrel's output buffer is
/// full) ends the session: the pump waits on the send meanwhile, so the target is not read and memory stays flat.
/// </summary>
internal sealed class WebSocketSink(System.Net.WebSockets.WebSocket socket, TimeSpan sendTimeout, TimeProvider time) : IBridgeSink
{
    /// <inheritdoc />
    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ValueTask sending;
        try
        {
            sending = socket.SendAsync(data, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            throw new BridgeSinkException(CloseReason.ClientGone, ex);
        }

        // Most sends complete at once (Kestrel takes the bytes): no timer, no allocation. Only a waiting one gets a timer.
        return sending.IsCompletedSuccessfully ? ValueTask.CompletedTask : AwaitAsync(sending, cancellationToken);
    }

    /// <inheritdoc />
    public void Complete()
    {
        // The endpoint closes the WebSocket with the session's reason once the pump is done.
    }

    private async ValueTask AwaitAsync(ValueTask sending, CancellationToken cancellationToken)
    {
        try
        {
            await sending.AsTask().WaitAsync(sendTimeout, time, cancellationToken);
        }
        catch (TimeoutException ex)
        {
            socket.Abort(); // also ends the pending send
            throw new BridgeSinkException(CloseReason.ClientNotReading, ex);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new BridgeSinkException(CloseReason.ClientGone, ex);
        }
    }
}
