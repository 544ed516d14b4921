using System.Net.WebSockets;

namespace EchoBridge.Tests.Infrastructure;

/// <summary>.NET's own <see cref="ClientWebSocket"/> against the bridge's WebSocket endpoint.</summary>
public static class WebSocketClients
{
    /// <summary>The ws:// URL of <paramref name="pathAndQuery"/> on <paramref name="host"/>.</summary>
    public static Uri Url(TestHost host, string pathAndQuery) =>
        new UriBuilder(new Uri(host.Http, pathAndQuery)) { Scheme = "ws" }.Uri;

    /// <summary>Connects, offering <paramref name="protocols"/>.</summary>
    public static async Task<ClientWebSocket> ConnectAsync(TestHost host, string pathAndQuery, params string[] protocols)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var protocol in protocols)
        {
            socket.Options.AddSubProtocol(protocol);
        }

        await socket.ConnectAsync(Url(host, pathAndQuery), CancellationToken.None).Within();
        return socket;
    }

    /// <summary>Receives until <paramref name="count"/> bytes have come, as binary messages.</summary>
    public static async Task<byte[]> ReceiveBytesAsync(this ClientWebSocket socket, int count)
    {
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(read), CancellationToken.None).Within();
            Assert.Equal(WebSocketMessageType.Binary, result.MessageType);
            read += result.Count;
        }

        return buffer;
    }

    /// <summary>Reads messages (dropping their bytes) until the server's close; returns its status and reason.</summary>
    public static async Task<(WebSocketCloseStatus? Status, string? Reason, int Bytes)> ReceiveCloseAsync(this ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        var bytes = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).Within();
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (socket.CloseStatus, socket.CloseStatusDescription, bytes);
            }

            bytes += result.Count;
        }
    }
}
