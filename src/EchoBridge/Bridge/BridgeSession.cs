using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;
using EchoBridge.Contracts;
using EchoBridge.Sessions;

namespace EchoBridge.Bridge;

/// <summary>
/// One raw TCP client of the bridge, owned by one hub connection. A single pump reads the socket into frames and
/// writes them to a small bounded channel; the <c>Receive</c> stream drains it. When the browser reads slowly the
/// channel fills, the pump waits, the socket is not read and TCP flow control pushes back on the target — memory stays
/// under (<see cref="FrameCapacity"/> + 1) × <see cref="ReadBufferBytes"/> per session whatever the target sends.
/// </summary>
public sealed class BridgeSession
{
    /// <summary>Largest frame: at most this much of what the socket has ready is read at once.</summary>
    public const int ReadBufferBytes = 16 * 1024;

    /// <summary>Frames buffered between the socket and the stream.</summary>
    public const int FrameCapacity = 8;

    private readonly Socket _socket;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _closing = new();
    private readonly Channel<BridgeFrame> _frames = Channel.CreateBounded<BridgeFrame>(
        new BoundedChannelOptions(FrameCapacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private string? _endReason;
    private int _receiving;
    private long _framesRead;
    private long _sentAt;
    private Task _pump = Task.CompletedTask;

    internal BridgeSession(string id, string connectionId, BridgeTarget target, Socket socket, BridgeLink? link, TimeProvider time)
    {
        Id = id;
        ConnectionId = connectionId;
        Target = target;
        _socket = socket;
        Link = link;
        _time = time;
        Info = new BridgeSessionInfo(id, target.Name, socket.LocalEndPoint?.ToString() ?? "", socket.RemoteEndPoint?.ToString() ?? "");
    }

    /// <summary>The session id the client uses.</summary>
    public string Id { get; }

    /// <summary>The hub connection that opened it; only that one may use it.</summary>
    public string ConnectionId { get; }

    /// <summary>Where it is connected.</summary>
    public BridgeTarget Target { get; }

    /// <summary>What <c>Open</c> returned.</summary>
    public BridgeSessionInfo Info { get; }

    /// <summary>The listener session this socket shows up as (the <c>echo</c> target only).</summary>
    public BridgeLink? Link { get; }

    /// <summary>Why it ended, once it has (null while open).</summary>
    public string? EndReason => Volatile.Read(ref _endReason);

    /// <summary>How many frames the pump has produced (the last one's <c>Seq</c>).</summary>
    public long FramesRead => Volatile.Read(ref _framesRead);

    /// <summary>The frames read from the target; completes once the socket is done.</summary>
    public ChannelReader<BridgeFrame> Frames => _frames.Reader;

    /// <summary>Told the time from a send until the target's first bytes after it (the bridge round-trip metric).</summary>
    internal Action<TimeSpan>? RoundTrip { get; init; }

    /// <summary>Runs when the session has ended (the socket is closed), with it as the argument.</summary>
    internal Action<BridgeSession>? Ended { get; set; }

    internal void Start() => _pump = PumpAsync();

    /// <summary>Claims the one <c>Receive</c> stream a session may have at a time.</summary>
    public bool TryClaimReceiver() => Interlocked.CompareExchange(ref _receiving, 1, 0) == 0;

    /// <summary>Whether a <c>Receive</c> stream is reading it now.</summary>
    public bool IsBeingReceived => Volatile.Read(ref _receiving) == 1;

    /// <summary>Frames read from the socket and not yet taken by a stream (at most <see cref="FrameCapacity"/>).</summary>
    public int BufferedFrames => _frames.Reader.Count;

    /// <summary>Lets another <c>Receive</c> take over (the previous one was cancelled).</summary>
    public void ReleaseReceiver() => Volatile.Write(ref _receiving, 0);

    /// <summary>Writes all of <paramref name="data"/> to the socket; completes when the kernel has it.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        // Stamped before the write: over loopback the reply can be read by the pump before SendAsync returns, and a
        // stamp written after it would miss that round trip (or pin it on the next, unrelated reply).
        Volatile.Write(ref _sentAt, _time.GetTimestamp());
        while (!data.IsEmpty)
        {
            var sent = await _socket.SendAsync(data, SocketFlags.None, cancellationToken);
            data = data[sent..];
        }
    }

    /// <summary>Closes the socket (if still open) and waits for the pump to finish.</summary>
    public async Task CloseAsync(string reason)
    {
        Interlocked.CompareExchange(ref _endReason, reason, null);
        await _closing.CancelAsync();
        await _pump;
    }

    private async Task PumpAsync()
    {
        var token = _closing.Token;
        var seq = 0L;
        string reason;
        try
        {
            while (true)
            {
                // A zero-byte read waits until the socket is readable without holding a buffer (an idle session costs
                // no buffer memory). What is there is then read into a pooled buffer and copied into the frame's own
                // array of exactly that size: one copy of the bytes, and one syscall fewer than asking the kernel
                // first how much is there (FIONREAD).
                await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, token);
                var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferBytes);
                byte[] data;
                try
                {
                    var read = await _socket.ReceiveAsync(buffer.AsMemory(0, ReadBufferBytes), SocketFlags.None, token);
                    if (read == 0)
                    {
                        reason = TargetClosedReason();
                        break;
                    }

                    data = buffer.AsSpan(0, read).ToArray();
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                if (Interlocked.Exchange(ref _sentAt, 0) is var sentAt and not 0)
                {
                    RoundTrip?.Invoke(_time.GetElapsedTime(sentAt));
                }

                await _frames.Writer.WriteAsync(new BridgeFrame(++seq, data, _time.GetUtcNow()), token);
                Volatile.Write(ref _framesRead, seq);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            reason = "closed";
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            reason = LinkedReason() ?? "connection reset";
        }
        catch (SocketException ex)
        {
            reason = $"connection error ({ex.SocketErrorCode})";
        }
        catch (ObjectDisposedException)
        {
            reason = "closed";
        }

        Interlocked.CompareExchange(ref _endReason, reason, null);
        _socket.Dispose();
        _frames.Writer.TryComplete();
        Ended?.Invoke(this);
    }

    private string TargetClosedReason() => LinkedReason() ?? "closed by target";

    // For the echo target the listener knows why it closed us (quit, idle timeout, shutdown, a kick).
    private string? LinkedReason() =>
        Link?.Session is { } session && (session.ClosedReason ?? session.CloseRequested) is { } why ? why.Describe() : null;
}
