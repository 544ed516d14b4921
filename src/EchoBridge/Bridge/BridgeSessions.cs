using System.Collections.Concurrent;
using System.Net;
using System.Threading.RateLimiting;
using EchoBridge.Contracts;
using EchoBridge.Hosting;
using EchoBridge.Sessions;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace EchoBridge.Bridge;

/// <summary>
/// The hub's side of the bridge: every hub connection's share of the limits and the sessions it owns, over the
/// <see cref="BridgeRelay"/> that every front door shares. The hub is stateless and asks this singleton for
/// everything; all refusals are <see cref="HubException"/>s whose words reach the client as they are.
/// </summary>
public sealed partial class BridgeSessions(
    BridgeRelay relay,
    ClientConnections clients,
    SessionRegistry registry,
    IHubContext<BridgeHub, IBridgeClient> hub,
    IOptions<BridgeOptions> options,
    TimeProvider time,
    ILogger<BridgeSessions> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, BridgeConnection> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HubSession> _sessions = new(StringComparer.Ordinal);

    // Every hub connection's send rate in one limiter (a bucket of its own per connection cost every idle tab a timer).
    private readonly PartitionedRateLimiter<string> _sendRate = TokenBuckets.PerKey(
        options.Value.SendBurst, options.Value.SendRatePerSecond, TimeSpan.FromSeconds(1), static (string connectionId) => connectionId);

    /// <summary>How many hub bridge sessions exist (open, or ended but not yet drained or closed).</summary>
    public int Count => _sessions.Count;

    /// <summary>How many hub connections are open.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>
    /// Starts keeping track of a hub connection from <paramref name="address"/>, within the client connection caps;
    /// false (and counted as refused) when over one.
    /// </summary>
    public bool TryConnect(string connectionId, IPAddress? address)
    {
        if (clients.TryAdmit(address) is { } refusal)
        {
            registry.Refuse(null, address?.ToString() ?? "unknown", ClientConnections.ReasonOf(refusal));
            return false;
        }

        _connections.TryAdd(connectionId, new BridgeConnection(address));
        return true;
    }

    /// <summary>A hub connection ended (closed tab, dropped network): closes every session it owned.</summary>
    public async Task DisconnectAsync(string connectionId)
    {
        if (!_connections.TryRemove(connectionId, out var connection))
        {
            return; // refused at connect: it was never admitted
        }

        clients.Release(connection.Address);
        await Task.WhenAll(connection.Sessions.Values.Select(session => CloseAsync(session, CloseReason.ClientGone)));
    }

    /// <summary>Opens a raw TCP client to the named target for <paramref name="connectionId"/>.</summary>
    public async Task<HubSession> OpenAsync(string connectionId, string target, CancellationToken cancellationToken)
    {
        var connection = ConnectionOf(connectionId);
        var settings = options.Value;
        if (!connection.TryReserveSession(settings.MaxSessionsPerConnection))
        {
            throw new HubException(
                $"Session limit reached: a connection may have at most {settings.MaxSessionsPerConnection} bridge sessions open. Close one first.");
        }

        BridgeSession opened;
        try
        {
            opened = await relay.OpenAsync(connectionId, connection.Address?.ToString() ?? "unknown", BridgeVia.Hub, target, cancellationToken);
        }
        catch (BridgeRefusedException ex)
        {
            connection.ReleaseSession();
            throw new HubException(ex.Message);
        }
        catch
        {
            connection.ReleaseSession();
            throw;
        }

        var session = new HubSession(opened, connectionId, time) { Ended = OnEnded };
        _sessions[session.Id] = session;
        connection.Sessions[session.Id] = session;
        opened.Start(session);
        if (!_connections.ContainsKey(connectionId))
        {
            // The hub connection ended while we connected, after DisconnectAsync took its list: close it here.
            await CloseAsync(session, CloseReason.ClientGone);
            throw new HubException("This connection is closing.");
        }

        return session;
    }

    /// <summary>The session <paramref name="sessionId"/> if <paramref name="connectionId"/> owns it; otherwise a HubException.</summary>
    public HubSession Get(string connectionId, string sessionId)
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
            throw new HubException($"Session '{sessionId}' is closed ({ended.Describe()}).");
        }

        // Over loopback, and to any target that keeps reading, the kernel takes the bytes at once: the send completes
        // synchronously and needs no timer. Only a send that has to wait gets one.
        var sending = session.Session.SendAsync(data, cancellationToken);
        if (sending.IsCompletedSuccessfully)
        {
            return;
        }

        await AwaitSendAsync(session, sending, cancellationToken);
    }

    private async Task AwaitSendAsync(HubSession session, ValueTask sending, CancellationToken cancellationToken)
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
            await CloseAsync(session, CloseReason.TargetNotReading);
            throw new HubException(
                $"Target '{session.Session.Target.Name}' is not reading: the send did not complete within {timeout.TotalSeconds:0.#} s. The session is closed.");
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            throw new HubException($"Session '{session.Id}' is closed ({(session.EndReason ?? CloseReason.Reset).Describe()}).");
        }
    }

    /// <summary>Closes a session of the caller.</summary>
    public Task CloseAsync(string connectionId, string sessionId) => CloseAsync(Get(connectionId, sessionId), CloseReason.ClientClosed);

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
    public void Drained(HubSession session) => Forget(session);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Host shutdown: no socket outlives the process's services.
        await Task.WhenAll(_sessions.Values.Select(session => CloseAsync(session, CloseReason.Shutdown)));
        _sendRate.Dispose();
    }

    private async Task CloseAsync(HubSession session, CloseReason reason)
    {
        await session.Session.CloseAsync(reason);
        Forget(session);
    }

    private void Forget(HubSession session)
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

        relay.Forget(session.Session);
    }

    private void OnEnded(HubSession session)
    {
        if (!session.IsBeingReceived && session.EndReason is { } reason && _connections.ContainsKey(session.ConnectionId))
        {
            // Nobody is reading its stream, so the final frame would go unseen: tell the owner directly.
            _ = NotifyClosedAsync(session, reason.Describe());
        }
    }

    private async Task NotifyClosedAsync(HubSession session, string reason)
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not tell the owner of bridge session {BridgeSessionId} that it closed")]
    private partial void LogNotifyFailed(Exception exception, string bridgeSessionId);
}
