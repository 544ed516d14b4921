using System.Buffers;
using System.Net;
using System.Net.Sockets;
using EchoBridge.Capture;
using EchoBridge.Contracts;

namespace EchoBridge.Sessions;

/// <summary>
/// One client of the echo listener: a TCP or Unix connection, or a UDP peer. Its counters are written by the one
/// loop that serves it and read by anyone (dashboard, metrics); recording costs a few field writes and a copy into
/// the traffic ring, which is allocated on first traffic so idle sessions stay small.
/// </summary>
public sealed class Session
{
    private readonly TimeProvider _time;
    private readonly long _openedTimestamp;
    private long _bytesIn, _bytesOut, _messagesIn, _messagesOut, _lines, _lastActivity, _stalledSince;
    private TrafficRing? _traffic;
    private readonly CaptureStore? _captures;
    private CaptureRecorder? _capture;
    private int _closeReason = -1;
    private int _closedReason = -1;
    private Action? _onCloseRequested;
    private BridgeLink? _bridge;
    private readonly string? _localText;

    internal Session(long id, SessionKind kind, string remote, IPEndPoint? remoteEndPoint, TimeProvider time,
        CaptureStore? captures = null, EndPoint? local = null)
    {
        Id = id;
        Kind = kind;
        Remote = remote;
        RemoteEndPoint = remoteEndPoint;
        Local = local;
        _localText = DescribeLocal(kind, local);
        _time = time;
        _captures = captures;
        ConnectedAt = time.GetUtcNow();
        _openedTimestamp = _lastActivity = time.GetTimestamp();
    }

    /// <summary>The registry's number for this session, unique for the life of the process.</summary>
    public long Id { get; }

    /// <summary>TCP, Unix or UDP.</summary>
    public SessionKind Kind { get; }

    /// <summary>The client's address as text (<c>127.0.0.1:50123</c>, <c>pid 42 uid 1000</c>).</summary>
    public string Remote { get; }

    /// <summary>The client's IP end point (TCP and UDP; IPv4-mapped addresses as IPv4), null for Unix clients.</summary>
    public IPEndPoint? RemoteEndPoint { get; }

    /// <summary>The listener's end of the connection, when the listener said (a capture's server address).</summary>
    public EndPoint? Local { get; }

    /// <summary>When the session began.</summary>
    public DateTimeOffset ConnectedAt { get; }

    /// <summary>Bytes received from the client.</summary>
    public long BytesIn => Volatile.Read(ref _bytesIn);

    /// <summary>Bytes sent to the client.</summary>
    public long BytesOut => Volatile.Read(ref _bytesOut);

    /// <summary>Reads (TCP, Unix) or datagrams (UDP) received.</summary>
    public long MessagesIn => Volatile.Read(ref _messagesIn);

    /// <summary>Writes (TCP, Unix) or datagrams (UDP) sent.</summary>
    public long MessagesOut => Volatile.Read(ref _messagesOut);

    /// <summary>Line endings received.</summary>
    public long Lines => Volatile.Read(ref _lines);

    /// <summary>The <see cref="TimeProvider"/> timestamp of the last byte received.</summary>
    public long LastActivityTimestamp => Volatile.Read(ref _lastActivity);

    /// <summary>When the last byte was received.</summary>
    public DateTimeOffset LastActivity => TimeOf(LastActivityTimestamp);

    /// <summary>The bridge session whose socket this is, when the client is the bridge itself.</summary>
    public string? BridgeSessionId => Volatile.Read(ref _bridge)?.BridgeSessionId;

    /// <summary>Which front door of the bridge that session came through (<c>hub</c>, <c>websocket</c>), when bridged.</summary>
    public string? BridgeVia => Volatile.Read(ref _bridge)?.Via;

    /// <summary>The address of the bridge's own client (the browser, or the one a trusted proxy names), when bridged.</summary>
    public string? BridgeClient => Volatile.Read(ref _bridge)?.Client;

    /// <summary>Recent traffic, or null when there has been none.</summary>
    public TrafficRing? Traffic => Volatile.Read(ref _traffic);

    /// <summary>Why the session was asked to close, once someone asked.</summary>
    public CloseReason? CloseRequested
    {
        get
        {
            var reason = Volatile.Read(ref _closeReason);
            return reason < 0 ? null : (CloseReason)reason;
        }
    }

    /// <summary>Why the session ended, once the registry has closed it.</summary>
    public CloseReason? ClosedReason
    {
        get
        {
            var reason = Volatile.Read(ref _closedReason);
            return reason < 0 ? null : (CloseReason)reason;
        }
        internal set => Volatile.Write(ref _closedReason, value is { } r ? (int)r : -1);
    }

    /// <summary>Records bytes received from the client.</summary>
    public void RecordIn(in ReadOnlySequence<byte> data)
    {
        var now = CountIn(data.Length);
        GetOrCreateTraffic().Record(TrafficDirection.In, data, now);
        GetOrCreateCapture()?.Record(TrafficDirection.In, data, now);
    }

    /// <summary>Records one datagram or chunk received from the client.</summary>
    public void RecordIn(ReadOnlySpan<byte> data)
    {
        var now = CountIn(data.Length);
        GetOrCreateTraffic().Record(TrafficDirection.In, data, now);
        GetOrCreateCapture()?.Record(TrafficDirection.In, data, now);
    }

    /// <summary>Records bytes written back to the client (one chunk; <see cref="CountMessageOut"/> counts writes).</summary>
    public void RecordOut(ReadOnlySpan<byte> data)
    {
        Volatile.Write(ref _bytesOut, _bytesOut + data.Length);
        var now = _time.GetTimestamp();
        GetOrCreateTraffic().Record(TrafficDirection.Out, data, now);
        GetOrCreateCapture()?.Record(TrafficDirection.Out, data, now);
    }

    /// <summary>Counts one completed write (a flush of the echo, or one datagram sent).</summary>
    public void CountMessageOut() => Volatile.Write(ref _messagesOut, _messagesOut + 1);

    /// <summary>Sets the number of line endings received so far.</summary>
    public void SetLines(long lines) => Volatile.Write(ref _lines, lines);

    /// <summary>
    /// Asks the loop serving this session to close it for <paramref name="reason"/>. Only the first request counts;
    /// returns whether this one did.
    /// </summary>
    public bool RequestClose(CloseReason reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, (int)reason, -1) != -1)
        {
            return false;
        }

        Volatile.Read(ref _onCloseRequested)?.Invoke();
        return true;
    }

    /// <summary>Sets what the serving loop does when a close is requested (runs at once if one already was).</summary>
    public void OnCloseRequested(Action action)
    {
        Volatile.Write(ref _onCloseRequested, action);
        if (CloseRequested is not null)
        {
            action();
        }
    }

    internal void LinkBridge(BridgeLink link) => Volatile.Write(ref _bridge, link);

    /// <summary>The wall-clock time of a <see cref="TimeProvider"/> timestamp taken during this session.</summary>
    public DateTimeOffset TimeOf(long timestamp) => ConnectedAt + _time.GetElapsedTime(_openedTimestamp, timestamp);

    /// <summary>How long since the last byte was received.</summary>
    public TimeSpan IdleFor(long now) => _time.GetElapsedTime(LastActivityTimestamp, now);

    /// <summary>The echo is waiting for the client to read (the server has stopped reading it meanwhile).</summary>
    public void MarkStalled() => Volatile.Write(ref _stalledSince, _time.GetTimestamp());

    /// <summary>The client took its echo.</summary>
    public void ClearStalled() => Volatile.Write(ref _stalledSince, 0);

    /// <summary>How long the client has left its echo unread; zero when it is not stalled.</summary>
    public TimeSpan StalledFor(long now) => Volatile.Read(ref _stalledSince) is var since and not 0
        ? _time.GetElapsedTime(since, now) : TimeSpan.Zero;

    /// <summary>The dashboard's view of this session.</summary>
    public SessionSummary ToSummary() =>
        Volatile.Read(ref _bridge) is { } bridge
            ? new(Id, Kind, Remote, ConnectedAt, BytesIn, BytesOut, Lines, LastActivity, bridge.BridgeSessionId, bridge.Via, BridgeClient: bridge.Client, Local: _localText)
            : new(Id, Kind, Remote, ConnectedAt, BytesIn, BytesOut, Lines, LastActivity, null, Local: _localText);

    // The summary's Local: an IPv4 client of a dual-mode socket reached ::ffff:a.b.c.d, shown as the IPv4 address it is.
    private static string? DescribeLocal(SessionKind kind, EndPoint? local) => local switch
    {
        IPEndPoint ip when ip.Address.IsIPv4MappedToIPv6 => Describe(kind, new IPEndPoint(ip.Address.MapToIPv4(), ip.Port)),
        IPEndPoint ip => Describe(kind, ip),
        UnixDomainSocketEndPoint unix => unix.ToString(),
        _ => null,
    };

    private static string Describe(SessionKind kind, IPEndPoint ip) => kind == SessionKind.Udp ? $"udp {ip}" : ip.ToString();

    /// <summary>
    /// Ends the session's capture and keeps it (with the session's last summary) for the retention time; a session
    /// that never sent a byte gets an empty one, so it is still listed as closed.
    /// </summary>
    internal void RetireCapture(CloseReason reason)
    {
        if (_captures is null)
        {
            return;
        }

        var capture = Volatile.Read(ref _capture) ?? CreateCapture(enabled: false);
        capture.Summary = ToSummary() with { ClosedAt = _time.GetUtcNow(), CloseReason = reason.Describe() };
        capture.Close(reason.Describe(), byClient: reason is CloseReason.ClientClosed or CloseReason.Quit or CloseReason.Interrupt);
    }

    /// <summary>Counts one receive of <paramref name="length"/> bytes; returns its timestamp.</summary>
    private long CountIn(long length)
    {
        var now = _time.GetTimestamp();
        Volatile.Write(ref _lastActivity, now);
        Volatile.Write(ref _bytesIn, _bytesIn + length);
        Volatile.Write(ref _messagesIn, _messagesIn + 1);
        return now;
    }

    private TrafficRing GetOrCreateTraffic() => _traffic ?? CreateTraffic();

    // The capture is made on first traffic (an idle session costs nothing); null when capture is off.
    private CaptureRecorder? GetOrCreateCapture() =>
        _capture ?? (_captures is { Enabled: true } ? CreateCapture(enabled: true) : null);

    private CaptureRecorder CreateCapture(bool enabled)
    {
        var capture = _captures!.CreateListener(Id, Kind, Remote, Local, ConnectedAt, _openedTimestamp, enabled);
        var won = Interlocked.CompareExchange(ref _capture, capture, null);
        if (won is not null)
        {
            return won;
        }

        _captures.Register(capture);
        return capture;
    }

    private TrafficRing CreateTraffic()
    {
        var ring = new TrafficRing();
        return Interlocked.CompareExchange(ref _traffic, ring, null) ?? ring;
    }
}
