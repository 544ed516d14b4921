using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using EchoBridge.Capture;
using EchoBridge.Contracts;

namespace EchoBridge.Sessions;

/// <summary>
/// Every live listener session, and the totals of the ones that ended. Global totals are summed when asked for
/// (live sessions + retired counts) so the echo path never touches a shared counter.
/// </summary>
public sealed partial class SessionRegistry(TimeProvider time, ILogger<SessionRegistry> logger, CaptureStore? captures = null)
{
    private readonly ConcurrentDictionary<long, Session> _sessions = new();
    // Bridge sockets whose listener session has not been registered yet, by the socket's local end point.
    private readonly ConcurrentDictionary<IPEndPoint, BridgeLink> _pendingLinks = new();
    private readonly Lock _retiredLock = new();
    private readonly long[] _totalByKind = new long[Enum.GetValues<SessionKind>().Length];
    private readonly ConcurrentDictionary<string, long> _refusedByReason = new();
    private long _nextId, _total, _refused;
    private int _activeStreams, _activeUdp;
    private long _retiredBytesIn, _retiredBytesOut, _retiredMessagesIn, _retiredMessagesOut;

    /// <summary>How many sessions are open now.</summary>
    public int ActiveCount => Volatile.Read(ref _activeStreams) + Volatile.Read(ref _activeUdp);

    /// <summary>Stream sessions (TCP, TLS, Unix) open now.</summary>
    public int ActiveStreamCount => Volatile.Read(ref _activeStreams);

    /// <summary>The live sessions (a moment's view; safe to enumerate while sessions come and go).</summary>
    public IEnumerable<Session> Sessions => _sessions.Select(static pair => pair.Value);

    /// <summary>
    /// Opens a session unless <paramref name="limit"/> sessions of its family are already open, in which case the
    /// attempt is counted as refused and false is returned. Stream sessions (TCP, Unix) and UDP peers are counted apart:
    /// each has a budget of its own, so UDP sources (which can be spoofed) never take a stream client's place.
    /// <paramref name="remoteEndPoint"/> is the client's IP end point (what a bridge link is keyed by); a TCP client's
    /// is read from <paramref name="remote"/> when not given. <paramref name="local"/> is the listener's end, when
    /// known (a capture's server address).
    /// </summary>
    public bool TryOpen(SessionKind kind, string remote, int limit, [NotNullWhen(true)] out Session? session,
        IPEndPoint? remoteEndPoint = null, EndPoint? local = null)
    {
        ref var active = ref kind == SessionKind.Udp ? ref _activeUdp : ref _activeStreams;
        if (Interlocked.Increment(ref active) > limit)
        {
            Interlocked.Decrement(ref active);
            Refuse(kind, remote, "connection limit reached");
            session = null;
            return false;
        }

        session = new Session(Interlocked.Increment(ref _nextId), kind, remote, EndPointOf(kind, remote, remoteEndPoint), time,
            captures, local);
        _sessions[session.Id] = session;
        // Registered first, looked up second (and the bridge does the reverse), so one of the two always meets the other.
        if (!_pendingLinks.IsEmpty && session.Kind == SessionKind.Tcp && session.RemoteEndPoint is { } endPoint
            && _pendingLinks.TryRemove(endPoint, out var link))
        {
            link.Attach(session);
        }

        Interlocked.Increment(ref _total);
        Interlocked.Increment(ref _totalByKind[(int)kind]);
        LogOpened(session.Id, kind, remote);
        return true;
    }

    /// <summary>Ends a session: removes it and keeps its counts in the totals. Closing twice is harmless.</summary>
    public void Close(Session session, CloseReason reason)
    {
        if (!_sessions.TryRemove(session.Id, out _))
        {
            return;
        }

        session.ClosedReason = reason;
        session.RetireCapture(reason);

        lock (_retiredLock)
        {
            _retiredBytesIn += session.BytesIn;
            _retiredBytesOut += session.BytesOut;
            _retiredMessagesIn += session.MessagesIn;
            _retiredMessagesOut += session.MessagesOut;
        }

        Interlocked.Decrement(ref session.Kind == SessionKind.Udp ? ref _activeUdp : ref _activeStreams);
        var duration = time.GetUtcNow() - session.ConnectedAt;
        LogClosed(session.Id, session.Kind, session.Remote, reason.Describe(), session.BytesIn, session.BytesOut,
            Math.Round(duration.TotalSeconds, 3));
    }

    /// <summary>
    /// Links the listener session whose remote end is <paramref name="remote"/> (a bridge socket's local end point) to
    /// bridge session <paramref name="bridgeSessionId"/>: at once if it is registered, else as soon as it is.
    /// </summary>
    public BridgeLink LinkBridge(IPEndPoint remote, string bridgeSessionId, string via, string? client = null)
    {
        remote = Normalized(remote);
        var link = new BridgeLink(remote, bridgeSessionId, via, client);
        _pendingLinks[remote] = link;
        foreach (var (_, session) in _sessions)
        {
            if (session.Kind == SessionKind.Tcp && remote.Equals(session.RemoteEndPoint))
            {
                _pendingLinks.TryRemove(KeyValuePair.Create(remote, link));
                link.Attach(session);
                break;
            }
        }

        return link;
    }

    /// <summary>Forgets a link that never met its session (the bridge socket closed first).</summary>
    public void Unlink(BridgeLink link) => _pendingLinks.TryRemove(KeyValuePair.Create(link.Remote, link));

    private static IPEndPoint? EndPointOf(SessionKind kind, string remote, IPEndPoint? given) =>
        given is not null ? Normalized(given)
        : kind != SessionKind.Unix && IPEndPoint.TryParse(remote, out var parsed) ? Normalized(parsed)
        : null;

    // A dual-mode listener sees IPv4 clients as ::ffff:a.b.c.d; the bridge's own sockets name themselves as IPv4.
    private static IPEndPoint Normalized(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    /// <summary>Counts a client turned away before it became a session (no kind: a hub or WebSocket client).</summary>
    public void Refuse(SessionKind? kind, string remote, string why)
    {
        Interlocked.Increment(ref _refused);
        _refusedByReason.AddOrUpdate(why, 1, static (_, count) => count + 1);
        LogRefused(kind, remote, why);
    }

    /// <summary>Sessions opened since start, of one kind.</summary>
    public long TotalOf(SessionKind kind) => Interlocked.Read(ref _totalByKind[(int)kind]);

    /// <summary>Refused clients since start, by reason.</summary>
    public IEnumerable<KeyValuePair<string, long>> RefusedByReason => _refusedByReason;

    /// <summary>Finds a live session by id.</summary>
    public bool TryGet(long id, [NotNullWhen(true)] out Session? session) => _sessions.TryGetValue(id, out session);

    /// <summary>Totals since start; cost grows with the number of live sessions, not with traffic.</summary>
    public ListenerTotals GetTotals()
    {
        long bytesIn, bytesOut, messagesIn, messagesOut;
        lock (_retiredLock)
        {
            (bytesIn, bytesOut, messagesIn, messagesOut) =
                (_retiredBytesIn, _retiredBytesOut, _retiredMessagesIn, _retiredMessagesOut);
        }

        foreach (var (_, session) in _sessions)
        {
            bytesIn += session.BytesIn;
            bytesOut += session.BytesOut;
            messagesIn += session.MessagesIn;
            messagesOut += session.MessagesOut;
        }

        return new ListenerTotals(ActiveCount, Interlocked.Read(ref _total), Interlocked.Read(ref _refused),
            bytesIn, bytesOut, messagesIn, messagesOut);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} opened: {Kind} from {Remote}")]
    private partial void LogOpened(long sessionId, SessionKind kind, string remote);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Session {SessionId} closed ({Reason}): {Kind} from {Remote}, {BytesIn} bytes in, {BytesOut} bytes out, {DurationSeconds} s")]
    private partial void LogClosed(long sessionId, SessionKind kind, string remote, string reason, long bytesIn,
        long bytesOut, double durationSeconds);

    // Debug: a flood of refusals must not become a flood of log lines; RefusalSummary logs the counts per interval.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused a {Kind} client from {Remote}: {Why}")]
    private partial void LogRefused(SessionKind? kind, string remote, string why);
}
