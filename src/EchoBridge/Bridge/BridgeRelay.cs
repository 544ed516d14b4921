using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EchoBridge.Capture;
using EchoBridge.Contracts;
using EchoBridge.Hosting;
using EchoBridge.Sessions;
using EchoBridge.Telemetry;
using Microsoft.Extensions.Options;

namespace EchoBridge.Bridge;

/// <summary>
/// Every bridge session of both front doors (hub and WebSocket): opens them within <c>Bridge:MaxSessions</c> (as fitted to the descriptors), links
/// an <c>echo</c> session to its listener session, begins each one's capture (keyed by its id, <c>b7</c>), logs each
/// opening and closing once, and counts them for <c>/metrics</c>. The front doors only say who the owner is and where
/// the target's bytes go.
/// </summary>
public sealed partial class BridgeRelay : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, BridgeSession> _sessions = new(StringComparer.Ordinal);
    private readonly TargetConnector _connector;
    private readonly SessionRegistry _registry;
    private readonly ResourceBudget _budget;
    private readonly TimeProvider _time;
    private readonly EchoBridgeMetrics _metrics;
    private readonly ILogger<BridgeRelay> _logger;
    private readonly CaptureStore? _captures;
    private readonly long[] _openedByVia = new long[2];
    private readonly int[] _activeByVia = new int[2];
    private int _slots;
    private long _nextId;

    /// <summary>Creates the relay and its instruments on the <c>EchoBridge</c> meter.</summary>
    public BridgeRelay(TargetConnector connector, SessionRegistry registry, ResourceBudget budget, TimeProvider time,
        EchoBridgeMetrics metrics, IMeterFactory meterFactory, ILogger<BridgeRelay> logger, CaptureStore? captures = null)
    {
        (_connector, _registry, _budget, _time, _metrics, _logger) = (connector, registry, budget, time, metrics, logger);
        _captures = captures;
        var meter = meterFactory.Create(EchoBridgeMetrics.MeterName);
        meter.CreateObservableUpDownCounter("echobridge.bridge.sessions.active",
            () => ByVia(via => Volatile.Read(ref _activeByVia[(int)via])), "{session}", "Bridge sessions open now, by front door");
        meter.CreateObservableCounter("echobridge.bridge.sessions.total",
            () => ByVia(via => Interlocked.Read(ref _openedByVia[(int)via])), "{session}", "Bridge sessions opened since start, by front door");
    }

    /// <summary>How many bridge sessions exist (open, or ended but not yet forgotten by their front door).</summary>
    public int Count => _sessions.Count;

    /// <summary>The sessions now (a moment's view).</summary>
    public IEnumerable<BridgeSession> Sessions => _sessions.Select(static pair => pair.Value);

    /// <summary>
    /// Connects to the target called <paramref name="targetName"/> for <paramref name="owner"/>; the session is not
    /// started (the caller gives it its sink). Refusals are <see cref="BridgeRefusedException"/>s. <paramref name="remote"/>
    /// is the client's address: a refusal counts it, and the dashboard shows it beside an <c>echo</c> session.
    /// </summary>
    public async Task<BridgeSession> OpenAsync(string owner, string remote, BridgeVia via, string? targetName,
        CancellationToken cancellationToken)
    {
        var target = _connector.Resolve(targetName);
        var limit = _budget.MaxBridgeSessions;
        if (Interlocked.Increment(ref _slots) > limit)
        {
            Interlocked.Decrement(ref _slots);
            _registry.Refuse(null, remote, "bridge session limit reached");
            throw new BridgeRefusedException(
                $"Bridge session limit reached: the server has {limit} bridge sessions open. Try again later.", BridgeRefusal.Limit);
        }

        try
        {
            var connection = await _connector.ConnectAsync(target, cancellationToken); // disposes the socket itself on failure
            var id = "b" + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
            var viaName = ViaName(via);
            var link = target.IsEcho && connection.Socket.LocalEndPoint is IPEndPoint local ? _registry.LinkBridge(local, id, viaName, remote) : null;
            var capture = _captures?.Begin(id, Parties(id, owner, remote, via, target, connection.Socket));
            var session = new BridgeSession(id, owner, via, target, connection, link, _time, capture, _captures?.Enabled == true)
            {
                Ended = OnEnded,
                RoundTrip = _metrics.RecordBridgeRoundTrip,
            };
            _sessions[id] = session;
            Interlocked.Increment(ref _activeByVia[(int)via]);
            Interlocked.Increment(ref _openedByVia[(int)via]);
            LogOpened(id, target.Name, session.Info.LocalEndPoint, viaName, owner);
            return session;
        }
        catch (BridgeRefusedException ex)
        {
            Interlocked.Decrement(ref _slots);
            _registry.Refuse(null, remote, ex.Kind == BridgeRefusal.TargetTls ? "bridge target TLS failed" : "bridge target unreachable");
            throw;
        }
        catch
        {
            Interlocked.Decrement(ref _slots);
            throw;
        }
    }

    /// <summary>Ends <paramref name="session"/> for <paramref name="reason"/> and forgets it.</summary>
    public async Task CloseAsync(BridgeSession session, CloseReason reason)
    {
        await session.CloseAsync(reason);
        Forget(session);
    }

    /// <summary>
    /// Stops counting an ended session (its front door has delivered everything it will). Returns whether this call
    /// did it (false when it was already forgotten).
    /// </summary>
    public bool Forget(BridgeSession session)
    {
        if (!_sessions.TryRemove(KeyValuePair.Create(session.Id, session)))
        {
            return false;
        }

        Interlocked.Decrement(ref _slots);
        Interlocked.Decrement(ref _activeByVia[(int)session.Via]);
        LogClosed(session.Id, session.Target.Name, (session.EndReason ?? CloseReason.ClientClosed).Describe());
        return true;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() =>
        // Host shutdown: no socket outlives the process's services.
        await Task.WhenAll(_sessions.Values.Select(session => CloseAsync(session, CloseReason.Shutdown)));

    /// <summary>The name a front door goes by in logs, metrics and the dashboard.</summary>
    public static string ViaName(BridgeVia via) => via == BridgeVia.WebSocket ? "websocket" : "hub";

    // The bridge's socket is the TCP client and the target the server, so the pcapng is the conversation the target saw;
    // the browser's side (hub connection or WebSocket client) is only in words.
    private static CaptureParties Parties(string id, string owner, string remote, BridgeVia via, BridgeTarget target, Socket socket)
    {
        var local = Normalize(socket.LocalEndPoint as IPEndPoint);
        var server = Normalize(socket.RemoteEndPoint as IPEndPoint);
        var browser = via == BridgeVia.WebSocket ? $"WebSocket client {owner}" : $"hub connection {owner} from {remote}";
        var echo = target.IsEcho ? " (the echo listener records the same conversation as its own session)" : "";
        return new CaptureParties(SessionKind.Tcp, local, server,
            $"TCP {local} -> {server}: bridge session {id} via {ViaName(via)} to target '{target.Name}' for {browser}; "
            + $"in = browser to target, out = target to browser{echo}");
    }

    private static IPEndPoint? Normalize(IPEndPoint? endPoint) =>
        endPoint is { Address.IsIPv4MappedToIPv6: true } ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    private void OnEnded(BridgeSession session)
    {
        if (session.Link is { } link)
        {
            _registry.Unlink(link);
        }
    }

    private static IEnumerable<Measurement<long>> ByVia(Func<BridgeVia, long> read) =>
        Enum.GetValues<BridgeVia>().Select(via => new Measurement<long>(read(via), new KeyValuePair<string, object?>("via", ViaName(via))));

    [LoggerMessage(Level = LogLevel.Information, Message = "Bridge session {BridgeSessionId} opened to {Target} from {LocalEndPoint} (via {Via}, {Owner})")]
    private partial void LogOpened(string bridgeSessionId, string target, string localEndPoint, string via, string owner);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bridge session {BridgeSessionId} to {Target} closed ({Reason})")]
    private partial void LogClosed(string bridgeSessionId, string target, string reason);
}
