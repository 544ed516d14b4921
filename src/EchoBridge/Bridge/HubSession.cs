using System.Threading.Channels;
using EchoBridge.Contracts;
using EchoBridge.Sessions;

namespace EchoBridge.Bridge;

/// <summary>
/// A bridge session as the hub serves it: what the target sends becomes ordered <see cref="BridgeFrame"/>s in a small
/// bounded channel that the <c>Receive</c> stream drains. When the browser reads slowly the channel fills and the pump
/// waits, so a session holds at most <see cref="FrameCapacity"/> frames of <see cref="BridgeSession.ReadBufferBytes"/>.
/// </summary>
public sealed class HubSession : IBridgeSink
{
    /// <summary>Frames buffered between the socket and the stream.</summary>
    public const int FrameCapacity = 8;

    private readonly TimeProvider _time;
    private readonly Channel<BridgeFrame> _frames = Channel.CreateBounded<BridgeFrame>(
        new BoundedChannelOptions(FrameCapacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private int _receiving;
    private long _seq, _framesRead;

    internal HubSession(BridgeSession session, string connectionId, TimeProvider time)
    {
        Session = session;
        ConnectionId = connectionId;
        _time = time;
    }

    /// <summary>The relay's session.</summary>
    public BridgeSession Session { get; }

    /// <summary>The session id the client uses.</summary>
    public string Id => Session.Id;

    /// <summary>What <c>Open</c> returned.</summary>
    public BridgeSessionInfo Info => Session.Info;

    /// <summary>The hub connection that opened it; only that one may use it.</summary>
    public string ConnectionId { get; }

    /// <summary>Why it ended, once it has (null while open).</summary>
    public CloseReason? EndReason => Session.EndReason;

    /// <summary>How many frames the pump has produced (the last one's <c>Seq</c>).</summary>
    public long FramesRead => Volatile.Read(ref _framesRead);

    /// <summary>The frames read from the target; completes once the socket is done.</summary>
    public ChannelReader<BridgeFrame> Frames => _frames.Reader;

    /// <summary>Frames read from the socket and not yet taken by a stream (at most <see cref="FrameCapacity"/>).</summary>
    public int BufferedFrames => _frames.Reader.Count;

    /// <summary>Whether a <c>Receive</c> stream is reading it now.</summary>
    public bool IsBeingReceived => Volatile.Read(ref _receiving) == 1;

    /// <summary>Runs once the session has ended and the channel is complete.</summary>
    internal Action<HubSession>? Ended { get; init; }

    /// <summary>Claims the one <c>Receive</c> stream a session may have at a time.</summary>
    public bool TryClaimReceiver() => Interlocked.CompareExchange(ref _receiving, 1, 0) == 0;

    /// <summary>Lets another <c>Receive</c> take over (the previous one was cancelled).</summary>
    public void ReleaseReceiver() => Volatile.Write(ref _receiving, 0);

    /// <inheritdoc />
    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        // The frame needs an array of its own (it is serialized later, on the stream's side): one copy of the bytes.
        var frame = new BridgeFrame(++_seq, data.ToArray(), _time.GetUtcNow());
        if (_frames.Writer.TryWrite(frame))
        {
            Volatile.Write(ref _framesRead, _seq);
            return ValueTask.CompletedTask;
        }

        return WriteSlowlyAsync(frame, cancellationToken);
    }

    /// <inheritdoc />
    public void Complete()
    {
        _frames.Writer.TryComplete();
        Ended?.Invoke(this);
    }

    private async ValueTask WriteSlowlyAsync(BridgeFrame frame, CancellationToken cancellationToken)
    {
        await _frames.Writer.WriteAsync(frame, cancellationToken);
        Volatile.Write(ref _framesRead, frame.Seq);
    }
}
