using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using EchoBridge.Capture;
using EchoBridge.Contracts;
using EchoBridge.Sessions;

namespace EchoBridge.Bridge;

/// <summary>Which front door a bridge session came through.</summary>
public enum BridgeVia
{
    /// <summary>The SignalR hub (<c>Open</c>/<c>Receive</c>/<c>Send</c>).</summary>
    Hub,
    /// <summary>The plain WebSocket endpoint (websockify-compatible).</summary>
    WebSocket,
}

/// <summary>
/// One raw TCP client of the bridge, whichever front door opened it. A single pump reads the socket into a pooled
/// buffer and hands it to the session's <see cref="IBridgeSink"/>, waiting until the sink has taken it: when the client
/// reads slowly the pump waits, the socket is not read and TCP flow control pushes back on the target, so memory stays
/// at one read buffer (<see cref="ReadBufferBytes"/>) plus what the sink holds, whatever the target sends. Its capture
/// sees the socket as the target does: what the client sends is <c>In</c>, what the target sends is <c>Out</c>.
/// A TLS target is read and written through its <see cref="SslStream"/>; a plain one straight through the socket, as
/// before, behind a null check (allocation per round trip of both: bench/README.md).
/// </summary>
public sealed class BridgeSession
{
    /// <summary>Largest read: at most this much of what the socket has ready is taken at once.</summary>
    public const int ReadBufferBytes = 16 * 1024;

    private readonly Socket _socket;
    private readonly SslStream? _tls;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _closing = new();
    private int _endReason = -1;
    private readonly long _openedTimestamp;
    private long _sentAt, _lastActivity, _bytesIn, _bytesOut;
    private readonly CaptureRecorder? _capture;   // kept (listed, exportable) even when capture is off
    private readonly CaptureRecorder? _recording; // the same, when bytes are recorded; null when capture is off
    private Task _pump = Task.CompletedTask;

    internal BridgeSession(string id, string owner, BridgeVia via, BridgeTarget target, TargetConnection connection,
        BridgeLink? link, TimeProvider time, CaptureRecorder? capture = null, bool recording = false)
    {
        Id = id;
        Owner = owner;
        Via = via;
        Target = target;
        (_socket, _tls) = connection;
        Link = link;
        _time = time;
        _lastActivity = _openedTimestamp = time.GetTimestamp();
        OpenedAt = time.GetUtcNow();
        _capture = capture;
        _recording = recording ? capture : null;
        Info = new BridgeSessionInfo(id, target.Name, _socket.LocalEndPoint?.ToString() ?? "", _socket.RemoteEndPoint?.ToString() ?? "");
    }

    /// <summary>The session id (<c>b12</c>).</summary>
    public string Id { get; }

    /// <summary>Who opened it: the hub connection id, or the WebSocket client's address.</summary>
    public string Owner { get; }

    /// <summary>The front door it came through.</summary>
    public BridgeVia Via { get; }

    /// <summary>Where it is connected.</summary>
    public BridgeTarget Target { get; }

    /// <summary>Its id and the two ends of its socket.</summary>
    public BridgeSessionInfo Info { get; }

    /// <summary>When it was opened.</summary>
    public DateTimeOffset OpenedAt { get; }

    /// <summary>Bytes sent to the target (what the client sent).</summary>
    public long BytesIn => Interlocked.Read(ref _bytesIn);

    /// <summary>Bytes read from the target (what the client was sent).</summary>
    public long BytesOut => Interlocked.Read(ref _bytesOut);

    /// <summary>The listener session this socket shows up as (the <c>echo</c> target only).</summary>
    public BridgeLink? Link { get; }

    /// <summary>Why it ended, once it has (null while open).</summary>
    public CloseReason? EndReason => Volatile.Read(ref _endReason) is var reason and >= 0 ? (CloseReason)reason : null;

    /// <summary>The <see cref="TimeProvider"/> timestamp of the last bytes either way.</summary>
    public long LastActivityTimestamp => Volatile.Read(ref _lastActivity);

    /// <summary>Completes when the pump has finished and the socket is closed.</summary>
    public Task Completion => _pump;

    /// <summary>Told the time from a send until the target's first bytes after it (the bridge round-trip metric).</summary>
    internal Action<TimeSpan>? RoundTrip { get; init; }

    /// <summary>Runs when the session has ended (the socket is closed), with it as the argument.</summary>
    internal Action<BridgeSession>? Ended { get; init; }

    /// <summary>Starts reading the target into <paramref name="sink"/>.</summary>
    public void Start(IBridgeSink sink) => _pump = PumpAsync(sink);

    /// <summary>Writes all of <paramref name="data"/> to the target; completes when the kernel has it.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        // Stamped before the write: over loopback the reply can be read by the pump before SendAsync returns, and a
        // stamp written after it would miss that round trip (or pin it on the next, unrelated reply).
        var now = _time.GetTimestamp();
        Volatile.Write(ref _sentAt, now);
        Volatile.Write(ref _lastActivity, now);
        Interlocked.Add(ref _bytesIn, data.Length);
        // Recorded before the write for the same reason: the target's reply must not come first on the timeline.
        _recording?.Record(TrafficDirection.In, data.Span, now);
        if (_tls is not null)
        {
            try
            {
                await _tls.WriteAsync(data, cancellationToken);
            }
            catch (IOException ex)
            {
                throw AsSocketException(ex);
            }

            return;
        }

        while (!data.IsEmpty)
        {
            var sent = await _socket.SendAsync(data, SocketFlags.None, cancellationToken);
            data = data[sent..];
        }
    }

    /// <summary>Ends the session for <paramref name="reason"/> (the first reason counts) and waits for the pump.</summary>
    public async Task CloseAsync(CloseReason reason)
    {
        SetEndReason(reason);
        await _closing.CancelAsync();
        await _pump;
    }

    private async Task PumpAsync(IBridgeSink sink)
    {
        var token = _closing.Token;
        CloseReason reason;
        var targetEnded = false; // the target's FIN (or reset) came first
        try
        {
            while (true)
            {
                // A zero-byte read waits until the socket is readable without holding a buffer (an idle session costs
                // no buffer memory); what is there is then read into a pooled buffer that the sink takes from.
                // SslStream passes a zero-byte read on to the socket when it holds no decrypted bytes.
                _ = _tls is null
                    ? await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, token)
                    : await _tls.ReadAsync(Memory<byte>.Empty, token);
                var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferBytes);
                try
                {
                    var read = _tls is null
                        ? await _socket.ReceiveAsync(buffer.AsMemory(0, ReadBufferBytes), SocketFlags.None, token)
                        : await _tls.ReadAsync(buffer.AsMemory(0, ReadBufferBytes), token);
                    if (read == 0)
                    {
                        targetEnded = true;
                        reason = LinkedReason() ?? CloseReason.TargetClosed;
                        break;
                    }

                    var now = _time.GetTimestamp();
                    Volatile.Write(ref _lastActivity, now);
                    Interlocked.Add(ref _bytesOut, read);
                    _recording?.Record(TrafficDirection.Out, buffer.AsSpan(0, read), now);
                    if (Interlocked.Exchange(ref _sentAt, 0) is var sentAt and not 0)
                    {
                        RoundTrip?.Invoke(_time.GetElapsedTime(sentAt, now));
                    }

                    await sink.WriteAsync(buffer.AsMemory(0, read), token);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            reason = CloseReason.ClientClosed; // CloseAsync set the real reason first
        }
        catch (BridgeSinkException ex)
        {
            reason = ex.Reason;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            targetEnded = true;
            reason = LinkedReason() ?? CloseReason.Reset;
        }
        catch (SocketException)
        {
            reason = CloseReason.ConnectionError;
        }
        catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted })
        {
            reason = LinkedReason() ?? CloseReason.Reset; // a TLS target's reset, as SslStream reports it
        }
        catch (IOException)
        {
            reason = CloseReason.ConnectionError; // a TLS target's broken record or alert
        }
        catch (ObjectDisposedException)
        {
            reason = CloseReason.ClientClosed;
        }

        SetEndReason(reason);
        if (_tls is not null)
        {
            await _tls.DisposeAsync();
        }

        _socket.Dispose();
        RetireCapture(EndReason ?? reason, byClient: !targetEnded);
        sink.Complete();
        Ended?.Invoke(this);
    }

    /// <summary>The dashboard's view of this session (closed ones carry when and why).</summary>
    public BridgeSessionSummary ToSummary(DateTimeOffset? closedAt = null, string? closeReason = null) =>
        new(Id, Target.Name, BridgeRelay.ViaName(Via), Info.LocalEndPoint, Info.RemoteEndPoint, OpenedAt, BytesIn, BytesOut,
            OpenedAt + _time.GetElapsedTime(_openedTimestamp, LastActivityTimestamp), closedAt, closeReason);

    // Keeps the capture (and the session's last summary) for the retention time.
    private void RetireCapture(CloseReason reason, bool byClient)
    {
        if (_capture is null)
        {
            return;
        }

        _capture.BridgeSummary = ToSummary(_time.GetUtcNow(), reason.Describe());
        _capture.Close(reason.Describe(), byClient);
    }

    // The front doors expect a target's failure as a SocketException, whichever way the session is connected.
    private static SocketException AsSocketException(IOException failure) =>
        failure.InnerException as SocketException ?? new SocketException((int)SocketError.ConnectionAborted, failure.Message);

    private void SetEndReason(CloseReason reason) => Interlocked.CompareExchange(ref _endReason, (int)reason, -1);

    // For the echo target the listener knows why it closed us (quit, idle timeout, shutdown, a kick).
    private CloseReason? LinkedReason() => Link?.Session is { } session ? session.ClosedReason ?? session.CloseRequested : null;
}
