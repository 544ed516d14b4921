using System.Net.WebSockets;
using System.Runtime.CompilerServices;

namespace EchoBridge.Bench.Load;

/// <summary>
/// A closed-loop connection over a WebSocket whose bytes are a byte stream's (EchoBridge's <c>/websockify</c>,
/// websockify): each message goes out as one binary message; its echo is read back whole, however the relay splits
/// it into messages. <see cref="ClientWebSocket"/> on memory with value-task sends and receives, one preallocated
/// receive buffer: the bench adds nothing per message (the client's masking buffer is pooled).
/// </summary>
public sealed class WebSocketEchoLoop : IEchoLoop
{
    /// <summary>The subprotocol offered: websockify's, answered by both EchoBridge and websockify.</summary>
    public const string Subprotocol = "binary";

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    // One handler for every connection: each upgrade takes a connection of its own out of it anyway.
    private static readonly HttpMessageInvoker Invoker = new(new SocketsHttpHandler { ConnectTimeout = ConnectTimeout });

    private readonly ClientWebSocket _socket;
    private readonly MessageSet _messages;
    private readonly byte[] _received;
    private Task<ValueWebSocketReceiveResult>? _idleRead;

    private WebSocketEchoLoop(ClientWebSocket socket, MessageSet messages)
    {
        _socket = socket;
        _messages = messages;
        _received = new byte[messages.Size];
    }

    /// <inheritdoc />
    public LoopStats Stats { get; } = new();

    /// <summary>Opens a WebSocket to <paramref name="url"/>, offering the <c>binary</c> subprotocol, within a few seconds.</summary>
    public static async Task<WebSocketEchoLoop> OpenAsync(Uri url, MessageSet messages, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(Subprotocol);
        socket.Options.KeepAliveInterval = TimeSpan.Zero; // the server pings; the client only answers
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await socket.ConnectAsync(url, Invoker, timeout.Token);
            return new WebSocketEchoLoop(socket, messages);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new EchoException($"opening {url} took more than {ConnectTimeout.TotalSeconds:0} s");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<EchoOutcome> EchoOnceAsync(long seq)
    {
        var message = _messages[seq];
        await _socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

        var got = 0;
        while (got < message.Length)
        {
            var result = await _socket.ReceiveAsync(_received.AsMemory(got, message.Length - got), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new EchoException($"the server closed the WebSocket after {Stats.Completed} echoes: " +
                    $"{(int?)_socket.CloseStatus} {_socket.CloseStatusDescription}");
            }

            got += result.Count;
        }

        return _received.AsSpan(0, got).SequenceEqual(message.Span) ? EchoOutcome.Intact : EchoOutcome.Corrupt;
    }

    /// <inheritdoc />
    public void BeginIdle() => _idleRead ??= _socket.ReceiveAsync(_received.AsMemory(), CancellationToken.None).AsTask();

    /// <inheritdoc />
    public bool IsOpenAndQuiet() =>
        _socket.State == WebSocketState.Open && _idleRead is not { IsCompleted: true }; // a message, a close or a failure

    /// <inheritdoc />
    public void Abort() => _socket.Abort();

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
