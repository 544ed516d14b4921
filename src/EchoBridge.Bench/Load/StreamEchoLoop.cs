using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace EchoBridge.Bench.Load;

/// <summary>
/// A closed-loop connection over TCP or a Unix socket. One preallocated receive buffer, messages from the shared
/// <see cref="MessageSet"/>, <see cref="Socket.SendAsync(ReadOnlyMemory{byte}, SocketFlags, CancellationToken)"/> and
/// <see cref="Socket.ReceiveAsync(Memory{byte}, SocketFlags, CancellationToken)"/> on memory: nothing is allocated
/// per message (the socket reuses its awaitable, the round trip's state machine comes from a pool).
/// </summary>
public sealed class StreamEchoLoop : IEchoLoop
{
    private readonly Socket _socket;
    private readonly MessageSet _messages;
    private readonly byte[] _received;

    private StreamEchoLoop(Socket socket, MessageSet messages)
    {
        _socket = socket;
        _messages = messages;
        _received = new byte[messages.Size];
    }

    /// <inheritdoc />
    public LoopStats Stats { get; } = new();

    /// <summary>Connects to <paramref name="endPoint"/> (TCP with TCP_NODELAY, like echoload, or a Unix socket).</summary>
    public static async Task<StreamEchoLoop> OpenAsync(EndPoint endPoint, MessageSet messages, CancellationToken cancellationToken) =>
        new(await ConnectAsync(endPoint, cancellationToken), messages);

    /// <summary>Opens a stream socket to <paramref name="endPoint"/>, giving up after a few seconds.</summary>
    public static async Task<Socket> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken)
    {
        var unix = endPoint is UnixDomainSocketEndPoint;
        var socket = unix
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        return await SocketConnect.ConnectAsync(socket, endPoint, cancellationToken);
    }

    /// <inheritdoc />
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<EchoOutcome> EchoOnceAsync(long seq)
    {
        var message = _messages[seq];
        for (var sent = 0; sent < message.Length;)
        {
            sent += await _socket.SendAsync(message[sent..], SocketFlags.None);
        }

        var got = 0;
        while (got < message.Length)
        {
            var read = await _socket.ReceiveAsync(_received.AsMemory(got, message.Length - got), SocketFlags.None);
            if (read == 0)
            {
                throw new EchoException($"the server closed the connection after {Stats.Completed} echoes");
            }

            got += read;
        }

        return _received.AsSpan(0, got).SequenceEqual(message.Span) ? EchoOutcome.Intact : EchoOutcome.Corrupt;
    }

    /// <inheritdoc />
    public bool IsOpenAndQuiet() => !_socket.Poll(0, SelectMode.SelectRead); // readable: bytes, or the server's FIN

    /// <inheritdoc />
    public void Abort() => _socket.Dispose();

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
