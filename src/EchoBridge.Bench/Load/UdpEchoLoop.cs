using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace EchoBridge.Bench.Load;

/// <summary>
/// A closed-loop UDP peer: one datagram per message on a connected socket (so only the server's datagrams arrive),
/// the echo must be the same datagram. A datagram can be dropped, so each wait is bounded: after
/// <see cref="LossTimeout"/> the message counts as lost and the next one goes out. An echo that turns up later is
/// recognised as one of the run's messages and skipped, instead of failing every message after it.
/// </summary>
public sealed class UdpEchoLoop : IEchoLoop
{
    /// <summary>How long an echo may take before its message counts as lost.</summary>
    public static readonly TimeSpan LossTimeout = TimeSpan.FromSeconds(1);

    private const int MaxDatagram = 65536;

    private readonly Socket _socket;
    private readonly MessageSet _messages;
    private readonly byte[] _received = new byte[MaxDatagram];
    private CancellationTokenSource _deadline = new();

    private UdpEchoLoop(Socket socket, MessageSet messages)
    {
        _socket = socket;
        _messages = messages;
    }

    /// <inheritdoc />
    public LoopStats Stats { get; } = new();

    /// <summary>Opens a UDP socket connected to <paramref name="endPoint"/>.</summary>
    public static async Task<UdpEchoLoop> OpenAsync(IPEndPoint endPoint, MessageSet messages, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        return new UdpEchoLoop(await SocketConnect.ConnectAsync(socket, endPoint, cancellationToken), messages);
    }

    /// <inheritdoc />
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<EchoOutcome> EchoOnceAsync(long seq)
    {
        var message = _messages[seq];
        await _socket.SendAsync(message, SocketFlags.None);
        while (true)
        {
            // One timer per loop, re-armed per message: CancelAfter and TryReset reuse it, nothing is allocated.
            _deadline.CancelAfter(LossTimeout);
            int read;
            try
            {
                read = await _socket.ReceiveAsync(_received, SocketFlags.None, _deadline.Token);
            }
            catch (OperationCanceledException)
            {
                RenewDeadline();
                return EchoOutcome.Lost;
            }

            if (!_deadline.TryReset())
            {
                RenewDeadline(); // it fired just as the datagram arrived
            }

            var datagram = _received.AsSpan(0, read);
            if (datagram.SequenceEqual(message.Span))
            {
                return EchoOutcome.Intact;
            }

            if (!_messages.Contains(datagram))
            {
                return EchoOutcome.Corrupt;
            }

            Stats.RecordLate(); // the echo of an earlier message given up as lost: keep waiting for this one
        }
    }

    /// <inheritdoc />
    public bool IsOpenAndQuiet() => _socket.Available == 0;

    /// <inheritdoc />
    public void Abort() => _socket.Dispose();

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        _deadline.Dispose();
        return ValueTask.CompletedTask;
    }

    private void RenewDeadline()
    {
        _deadline.Dispose();
        _deadline = new CancellationTokenSource();
    }
}
