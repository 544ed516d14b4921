using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using EchoBridge.Sessions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace EchoBridge.Bridge.WebSocket;

/// <summary>
/// The websockify-compatible front door: a plain WebSocket whose bytes are an allow-listed target's bytes. The target
/// is named (route, <c>?token=</c>, or the default); a wrong name is refused with 404/403 before the upgrade and
/// nothing is connected. After the upgrade the relay connects; what the client sends (binary or text frames, however
/// split) goes to the target as bytes, and what the target sends comes back as binary messages.
/// </summary>
public sealed partial class WebSocketBridgeEndpoint(
    BridgeRelay relay,
    BridgeTargets targets,
    ClientConnections clients,
    SessionRegistry registry,
    IOptions<BridgeOptions> options,
    TimeProvider time,
    ILogger<WebSocketBridgeEndpoint> logger)
{
    /// <summary>The subprotocol answered when offered (websockify's; <c>base64</c> is not spoken).</summary>
    public const string BinaryProtocol = "binary";

    /// <summary>How much of a client's message is read at once (rented for the life of the connection).</summary>
    public const int ReceiveBufferBytes = 16 * 1024;

    // How long the close handshake may take before the client is dropped instead.
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Serves one request to the endpoint; <paramref name="routeTarget"/> is the path's target segment, if any.</summary>
    public async Task HandleAsync(HttpContext context, string? routeTarget)
    {
        var settings = options.Value;
        var name = WebSocketTargetName.Of(context.Request, routeTarget, settings.WebSocket.DefaultTarget);
        if (name is null)
        {
            await ReplyAsync(context, StatusCodes.Status404NotFound,
                $"No target given: use {settings.WebSocket.Path}/<target> or {settings.WebSocket.Path}?token=<target>.");
            return;
        }

        if (WebSocketTargetName.LooksLikeAnAddress(name))
        {
            await ReplyAsync(context, StatusCodes.Status403Forbidden,
                "Targets are chosen by name from the allow-list; a host or port is never taken from a client.");
            return;
        }

        if (!targets.TryResolve(name, out _))
        {
            await ReplyAsync(context, StatusCodes.Status404NotFound, $"Unknown target '{WebSocketTargetName.Printable(name)}'.");
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await ReplyAsync(context, StatusCodes.Status400BadRequest, "A WebSocket upgrade is expected here.");
            return;
        }

        var address = context.Connection.RemoteIpAddress;
        if (clients.TryAdmit(address) is { } refusal)
        {
            registry.Refuse(null, address?.ToString() ?? "unknown", ClientConnections.ReasonOf(refusal));
            await HubAdmission.RefuseAsync(context, refusal);
            return;
        }

        try
        {
            await ServeAsync(context, name, settings);
        }
        finally
        {
            clients.Release(address);
        }
    }

    private async Task ServeAsync(HttpContext context, string name, BridgeOptions settings)
    {
        var keepAlive = TimeSpan.FromSeconds(settings.WebSocket.KeepAliveSeconds);
        var offered = context.WebSockets.WebSocketRequestedProtocols;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            // Offered: answered. None offered (noVNC today): served in binary all the same.
            SubProtocol = offered.Contains(BinaryProtocol, StringComparer.OrdinalIgnoreCase) ? BinaryProtocol : null,
            KeepAliveInterval = keepAlive,
            KeepAliveTimeout = keepAlive,
        });
        var remote = $"{context.Connection.RemoteIpAddress}:{context.Connection.RemotePort}";
        BridgeSession session;
        try
        {
            session = await relay.OpenAsync(remote, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", BridgeVia.WebSocket,
                name, context.RequestAborted);
        }
        catch (BridgeRefusedException ex)
        {
            // 1011 for a target that refused or did not answer (the reason names it); 1013 "try again later" at a limit.
            await CloseAsync(socket, ex.Kind == BridgeRefusal.Limit ? (WebSocketCloseStatus)1013 : WebSocketCloseStatus.InternalServerError, ex.Message);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // the client left while we connected
        }

        var sendTimeout = TimeSpan.FromSeconds(settings.SendTimeoutSeconds);
        session.Start(new WebSocketSink(socket, sendTimeout, time));
        var receiving = ReceiveAsync(socket, session, sendTimeout);
        await session.Completion; // the target closed, or the client side ended it
        var reason = session.EndReason ?? CloseReason.ClientClosed;
        relay.Forget(session);
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await CloseAsync(socket, StatusOf(reason), reason.Describe());
        }

        // The receive loop ends with the client's close reply (or at once when the socket is gone); a client that
        // does not answer the close is dropped.
        if (await Task.WhenAny(receiving, Task.Delay(CloseTimeout, time)) != receiving)
        {
            socket.Abort();
            await receiving;
        }
    }

    private async Task ReceiveAsync(System.Net.WebSockets.WebSocket socket, BridgeSession session, TimeSpan sendTimeout)
    {
        await Task.Yield(); // the pump and the handler go on while this waits for the client
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                // Between messages a zero-byte receive waits for the client without holding a buffer: an idle
                // WebSocket costs no receive buffer, and a busy one rents and returns one from the pool per message.
                var result = buffer is null
                    ? await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None)
                    : await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await session.CloseAsync(CloseReason.ClientClosed);
                    return;
                }

                if (buffer is null)
                {
                    if (!result.EndOfMessage)
                    {
                        buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferBytes);
                    }

                    continue;
                }

                // Text frames are their UTF-8 bytes; a message split over frames, or several in one, is all one stream.
                // After the target's end, bytes still in flight from the client are dropped.
                if (result.Count > 0 && session.EndReason is null)
                {
                    var sending = session.SendAsync(buffer.AsMemory(0, result.Count), CancellationToken.None);
                    if (!sending.IsCompletedSuccessfully && !await SentInTimeAsync(sending, sendTimeout))
                    {
                        await session.CloseAsync(CloseReason.TargetNotReading);
                        return;
                    }
                }

                if (result.EndOfMessage)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ConnectionAbortedException or OperationCanceledException)
        {
            // The client vanished (reset, keep-alive timeout, aborted): the target's socket goes at once.
            await session.CloseAsync(CloseReason.ClientGone);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The target's socket failed or was closed under the send: the pump reports why.
            LogSendFailed(session.Id, ex.Message);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private async Task<bool> SentInTimeAsync(ValueTask sending, TimeSpan timeout)
    {
        try
        {
            await sending.AsTask().WaitAsync(timeout, time);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static WebSocketCloseStatus StatusOf(CloseReason reason) => reason switch
    {
        CloseReason.Shutdown => WebSocketCloseStatus.EndpointUnavailable,
        CloseReason.Reset or CloseReason.ConnectionError or CloseReason.Error or CloseReason.TargetNotReading
            => WebSocketCloseStatus.InternalServerError,
        _ => WebSocketCloseStatus.NormalClosure,
    };

    private async Task CloseAsync(System.Net.WebSockets.WebSocket socket, WebSocketCloseStatus status, string reason)
    {
        using var timeout = new CancellationTokenSource(CloseTimeout, time);
        try
        {
            await socket.CloseOutputAsync(status, Fit(reason), timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ConnectionAbortedException)
        {
            socket.Abort(); // the client is gone or not reading: nothing more to say to it
        }
    }

    // A close reason is at most 123 bytes of UTF-8.
    private static string Fit(string reason)
    {
        while (Encoding.UTF8.GetByteCount(reason) > 123)
        {
            reason = reason[..^2] + "…";
        }

        return reason;
    }

    private static Task ReplyAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsync(text, context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebSocket bridge session {BridgeSessionId}: a send to the target failed ({Why})")]
    private partial void LogSendFailed(string bridgeSessionId, string why);
}
