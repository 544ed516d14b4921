using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using EchoBridge.Hosting;
using EchoBridge.Contracts;
using EchoBridge.Sessions;
using EchoBridge.Telemetry;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace EchoBridge.Bridge;

/// <summary>
/// Every bridge session and every hub connection's share of the limits. The hub is stateless and asks this singleton
/// for everything; all refusals are <see cref="HubException"/>s whose words reach the client as they are.
/// </summary>
public sealed partial class BridgeSessions(
    BridgeTargets targets,
    SessionRegistry registry,
    IHubContext<BridgeHub, IBridgeClient> hub,
    IOptions<BridgeOptions> options,
    TimeProvider time,
    EchoBridgeMetrics metrics,
    ILogger<BridgeSessions> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, BridgeConnection> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BridgeSession> _sessions = new(StringComparer.Ordinal);

    // Every hub connection's send rate in one limiter (a bucket of its own per connection cost every idle tab a timer).
    private readonly PartitionedRateLimiter<string> _sendRate = TokenBuckets.PerKey(
        options.Value.SendBurst, options.Value.SendRatePerSecond, TimeSpan.FromSeconds(1), static (string connectionId) => connectionId);
    private long _nextId;

    /// <summary>How many bridge sessions exist (open, or ended but not yet drained or closed).</summary>
    public int Count => _sessions.Count;

    /// <summary>Starts keeping track of a hub connection.</summary>
    public void Connect(string connectionId) =>
        _connections.TryAdd(connectionId, new BridgeConnection());

    /// <summary>A hub connection ended (closed tab, dropped network): closes every session it owned.</summary>
    public async Task DisconnectAsync(string connectionId)
    {
        if (!_connections.TryRemove(connectionId, out var connection))
        {
            return;
        }

        await Task.WhenAll(connection.Sessions.Values.Select(session => CloseAsync(session, "hub connection ended")));
    }

    /// <summary>Opens a raw TCP client to the named target for <paramref name="connectionId"/>.</summary>
    public async Task<BridgeSession> OpenAsync(string connectionId, string target, CancellationToken cancellationToken)
    {
        var connection = ConnectionOf(connectionId);
        if (!targets.TryResolve(target, out var resolved))
        {
            throw new HubException($"Unknown target '{target}'. Known targets: {string.Join(", ", targets.List().Select(t => t.Name))}.");
        }

        var settings = options.Value;
        if (!connection.TryReserveSession(settings.MaxSessionsPerConnection))
        {
            throw new HubException(
                $"Session limit reached: a connection may have at most {settings.MaxSessionsPerConnection} bridge sessions open. Close one first.");
        }

        Socket socket;
        try
        {
            socket = await ConnectAsync(resolved, settings, cancellationToken); // disposes the socket itself on failure
        }
        catch
        {
            connection.ReleaseSession();
            throw;
        }

        var id = "b" + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var link = resolved.IsEcho && socket.LocalEndPoint is { } local ? registry.LinkBridge(local.ToString()!, id) : null;
        var session = new BridgeSession(id, connectionId, resolved, socket, link, time) { Ended = OnEnded, RoundTrip = metrics.RecordBridgeRoundTrip };
        _sessions[id] = session;
        connection.Sessions[id] = session;
        session.Start();
        LogOpened(id, resolved.Name, session.Info.LocalEndPoint, connectionId);
        if (!_connections.ContainsKey(connectionId))
        {
            // The hub connection ended while we connected, after DisconnectAsync took its list: close it here.
            await CloseAsync(session, "hub connection ended");
            throw new HubException("This connection is closing.");
        }

        return session;
    }

    /// <summary>The session <paramref name="sessionId"/> if <paramref name="connectionId"/> owns it; otherwise a HubException.</summary>
    public BridgeSession Get(string connectionId, string sessionId)
    {
        if (sessionId is null || !_sessions.TryGetValue(sessionId, out var session) || session.ConnectionId != connectionId)
        {
            // Someone else's session gets the same words as a missing one: ids are not an oracle.
            throw new HubException($"Unknown session '{sessionId}'.");
        }

        return session;
    }

    /// <summary>Sends to an open session of the caller, within the caller's send rate.</summary>
    public async Task SendAsync(string connectionId, string sessionId, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var session = Get(connectionId, sessionId);
        ConnectionOf(connectionId); // throws once the connection is closing
        if (data.Length > options.Value.MaxSendBytes)
        {
            throw new HubException($"Message too large: at most {options.Value.MaxSendBytes} bytes per send (got {data.Length}). Split it.");
        }

        using var lease = _sendRate.AttemptAcquire(connectionId);
        if (!lease.IsAcquired)
        {
            throw new HubException(
                $"Send rate limit reached: at most {options.Value.SendRatePerSecond} sends per second (bursts of {options.Value.SendBurst}). Slow down.");
        }

        if (session.EndReason is { } ended)
        {
            throw new HubException($"Session '{sessionId}' is closed ({ended}).");
        }

        // Over loopback, and to any target that keeps reading, the kernel takes the bytes at once: the send completes
        // synchronously and needs no timer. Only a send that has to wait gets one.
        var sending = session.SendAsync(data, cancellationToken);
        if (sending.IsCompletedSuccessfully)
        {
            return;
        }

        await AwaitSendAsync(session, sending, cancellationToken);
    }

    private async Task AwaitSendAsync(BridgeSession session, ValueTask sending, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(options.Value.SendTimeoutSeconds);
        try
        {
            await sending.AsTask().WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Part of the bytes may be on the wire: the stream is no longer what the client thinks, so end it (which
            // also ends the pending send).
            await CloseAsync(session, "send timed out: the target is not reading");
            throw new HubException(
                $"Target '{session.Target.Name}' is not reading: the send did not complete within {timeout.TotalSeconds:0.#} s. The session is closed.");
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            throw new HubException($"Session '{session.Id}' is closed ({session.EndReason ?? "connection lost"}).");
        }
    }

    /// <summary>Closes a session of the caller.</summary>
    public Task CloseAsync(string connectionId, string sessionId) => CloseAsync(Get(connectionId, sessionId), "closed by client");

    /// <summary>Reserves a stream slot of the caller; dispose the result when the stream ends.</summary>
    public StreamLease AcquireStream(string connectionId)
    {
        var connection = ConnectionOf(connectionId);
        var limit = options.Value.MaxStreamsPerConnection;
        if (!connection.TryReserveStream(limit))
        {
            throw new HubException($"Stream limit reached: a connection may run at most {limit} streams at once. Cancel one first.");
        }

        return new StreamLease(connection);
    }

    /// <summary>The session has been read to its end: it no longer counts against its connection.</summary>
    public void Drained(BridgeSession session) => Forget(session);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Host shutdown: no socket outlives the process's services.
        await Task.WhenAll(_sessions.Values.Select(session => CloseAsync(session, "server shutdown")));
        _sendRate.Dispose();
    }

    private async Task CloseAsync(BridgeSession session, string reason)
    {
        await session.CloseAsync(reason);
        Forget(session);
    }

    private void Forget(BridgeSession session)
    {
        if (!_sessions.TryRemove(KeyValuePair.Create(session.Id, session)))
        {
            return;
        }

        if (_connections.TryGetValue(session.ConnectionId, out var connection)
            && connection.Sessions.TryRemove(KeyValuePair.Create(session.Id, session)))
        {
            connection.ReleaseSession();
        }

        LogClosed(session.Id, session.Target.Name, session.EndReason ?? "closed");
    }

    private void OnEnded(BridgeSession session)
    {
        if (session.Link is { } link)
        {
            registry.Unlink(link);
        }

        if (!session.IsBeingReceived && session.EndReason is { } reason && _connections.ContainsKey(session.ConnectionId))
        {
            // Nobody is reading its stream, so the final frame would go unseen: tell the owner directly.
            _ = NotifyClosedAsync(session, reason);
        }
    }

    private async Task NotifyClosedAsync(BridgeSession session, string reason)
    {
        try
        {
            await hub.Clients.Client(session.ConnectionId).SessionClosed(session.Id, reason);
        }
        catch (Exception ex)
        {
            LogNotifyFailed(ex, session.Id);
        }
    }

    private BridgeConnection ConnectionOf(string connectionId) =>
        _connections.TryGetValue(connectionId, out var connection)
            ? connection
            : throw new HubException("This connection is closing.");

    private async Task<Socket> ConnectAsync(BridgeTarget target, BridgeOptions settings, CancellationToken cancellationToken)
    {
        // An IP target gets a socket of its family; a host name a dual-mode one that can reach either.
        var socket = target.EndPoint.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
            ? new Socket(target.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true; // a typed line goes out at once, not after Nagle's wait

        var timeout = TimeSpan.FromSeconds(settings.ConnectTimeoutSeconds);
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            await socket.ConnectAsync(target.EndPoint, linked.Token);
            return socket;
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested)
        {
            socket.Dispose();
            LogUnreachable(target.Name, "timeout");
            throw new HubException($"Target '{target.Name}' did not answer within {timeout.TotalSeconds:0.#} s.");
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            LogUnreachable(target.Name, ex.SocketErrorCode.ToString());
            throw new HubException(ex.SocketErrorCode == SocketError.ConnectionRefused
                ? $"Target '{target.Name}' refused the connection."
                : $"Target '{target.Name}' is unreachable ({ex.SocketErrorCode}).");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bridge session {BridgeSessionId} opened to {Target} from {LocalEndPoint} (hub connection {ConnectionId})")]
    private partial void LogOpened(string bridgeSessionId, string target, string localEndPoint, string connectionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bridge session {BridgeSessionId} to {Target} closed ({Reason})")]
    private partial void LogClosed(string bridgeSessionId, string target, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not tell the owner of bridge session {BridgeSessionId} that it closed")]
    private partial void LogNotifyFailed(Exception exception, string bridgeSessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bridge target {Target} is unreachable: {Why}")]
    private partial void LogUnreachable(string target, string why);
}
