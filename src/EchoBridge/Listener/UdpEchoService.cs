using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using EchoBridge.Contracts;
using EchoBridge.Hosting;
using EchoBridge.Sessions;
using Microsoft.Extensions.Options;

namespace EchoBridge.Listener;

/// <summary>
/// UDP echo (RFC 862) on the listener's port: each datagram goes back, unchanged, to its sender. Two guards keep it
/// from being abused: datagrams from the ports of echo-like services (7, 13, 17, 19) or from the listener's own port
/// are never answered, so two echo services cannot be set ping-ponging; and each source address is rate limited,
/// so it is no use as a reflector. Each source (address and port) is a session until it has been quiet for a while.
/// </summary>
public sealed partial class UdpEchoService(
    SessionRegistry registry,
    IOptions<ListenerOptions> options,
    TimeProvider time,
    ILogger<UdpEchoService> logger) : IDisposable
{
    private static readonly ushort[] EchoLikePorts = [0, 7, 13, 17, 19];

    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Socket> _sockets = [];
    private readonly List<Task> _loops = [];
    private readonly ConcurrentDictionary<UdpPeerKey, Session> _peers = new();
    private readonly Lock _evicting = new();
    private PartitionedRateLimiter<UdpPeerKey>? _limiter;
    private ushort _port;

    /// <summary>Binds a UDP socket on <paramref name="endPoint"/>; a port in use fails the start with the setting's name.</summary>
    internal static Socket Bind(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(endPoint);
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new StartupException(ex.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? $"Listener:Port: UDP {endPoint} is already in use"
                : $"Listener:Port: cannot bind UDP {endPoint}: {ex.Message}", ex);
        }
    }

    /// <summary>Starts answering on the sockets the listener bound (it owns binding; this owns the peers).</summary>
    internal void Start(IReadOnlyList<Socket> sockets)
    {
        var settings = options.Value;
        _limiter = CreateLimiter(settings.Udp);
        _port = (ushort)((IPEndPoint)sockets[0].LocalEndPoint!).Port;
        _sockets.AddRange(sockets);
        foreach (var socket in _sockets)
        {
            _loops.Add(EchoLoopAsync(socket, settings, _stopping.Token));
        }
    }

    /// <summary>Stops answering and closes every peer session.</summary>
    internal async Task StopAsync()
    {
        await _stopping.CancelAsync();
        foreach (var socket in _sockets)
        {
            socket.Close();
        }

        // With the sockets closed the loops end at once; the peers below must be closed even when an earlier stop
        // used up the shutdown timeout.
        await Task.WhenAll(_loops);
        foreach (var (_, session) in _peers)
        {
            registry.Close(session, CloseReason.Shutdown);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping.Dispose();
        _limiter?.Dispose();
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }
    }

    private static PartitionedRateLimiter<UdpPeerKey>? CreateLimiter(UdpOptions udp)
    {
        if (udp.RateLimitPerSecond == 0)
        {
            return null;
        }

        const int periodsPerSecond = 10;
        return TokenBuckets.PerKey(udp.RateLimitBurst, Math.Max(1, udp.RateLimitPerSecond / periodsPerSecond),
            TimeSpan.FromSeconds(1.0 / periodsPerSecond), static (UdpPeerKey source) => source.WithoutPort);
    }

    private async Task EchoLoopAsync(Socket socket, ListenerOptions settings, CancellationToken stopping)
    {
        await Task.Yield();
        var buffer = GC.AllocateUninitializedArray<byte>(65536, pinned: true);
        var from = new SocketAddress(socket.AddressFamily);
        while (!stopping.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, from, stopping);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex)
            {
                LogReceiveFailed(ex.SocketErrorCode);
                continue;
            }

            var key = UdpPeerKey.From(from);
            if (!Admit(key, from, settings))
            {
                continue;
            }

            var session = GetOrAddPeer(key, from, settings, socket);
            if (session is null)
            {
                continue;
            }

            var datagram = buffer.AsMemory(0, received);
            session.RecordIn(datagram.Span);
            session.SetLines(session.Lines + datagram.Span.Count((byte)'\n'));
            try
            {
                await socket.SendToAsync(datagram, SocketFlags.None, from, stopping);
                session.RecordOut(datagram.Span);
                session.CountMessageOut();
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex)
            {
                LogSendFailed(session.Id, ex.SocketErrorCode);
            }
        }
    }

    /// <summary>The loop guard and the rate limit: false drops the datagram unanswered.</summary>
    private bool Admit(UdpPeerKey key, SocketAddress from, ListenerOptions settings)
    {
        if (key.Port == _port || Array.IndexOf(EchoLikePorts, key.Port) >= 0)
        {
            registry.Refuse(SessionKind.Udp, UdpPeerKey.ToEndPoint(from).ToString(), "source port of an echo-like service (loop guard)");
            return false;
        }

        if (_limiter is null)
        {
            return true;
        }

        using var lease = _limiter.AttemptAcquire(key);
        if (!lease.IsAcquired)
        {
            registry.Refuse(SessionKind.Udp, UdpPeerKey.ToEndPoint(from).ToString(), "rate limit");
        }

        return lease.IsAcquired;
    }

    // The known peer is the hot path and must not allocate: the closure AddPeer needs lives in a method of its own (C#
    // allocates a closure on entry to the scope of what it captures, whichever path is taken).
    private Session? GetOrAddPeer(UdpPeerKey key, SocketAddress from, ListenerOptions settings, Socket socket) =>
        _peers.TryGetValue(key, out var session) ? session : AddPeer(key, from, settings, socket);

    private Session? AddPeer(UdpPeerKey key, SocketAddress from, ListenerOptions settings, Socket socket)
    {
        var remote = UdpPeerKey.ToEndPoint(from).ToString();
        if (_peers.Count >= settings.Udp.MaxPeers && !EvictOldestPeer())
        {
            registry.Refuse(SessionKind.Udp, remote, "UDP peer limit reached");
            return null;
        }

        // UDP peers have their own budget (Udp:MaxPeers): they never take the TCP and Unix sessions' places.
        if (!registry.TryOpen(SessionKind.Udp, remote, int.MaxValue, out var session, local: socket.LocalEndPoint))
        {
            return null;
        }

        _peers[key] = session;
        session.OnCloseRequested(() =>
        {
            _peers.TryRemove(key, out _);
            registry.Close(session, session.CloseRequested ?? CloseReason.IdleTimeout);
        });
        return session;
    }

    /// <summary>
    /// Makes room for a new peer by ending the one quiet for longest (sources can be spoofed, so a full table must not
    /// lock new peers out). Runs only when the table is full; the scan is bounded by <c>Udp:MaxPeers</c>.
    /// </summary>
    private bool EvictOldestPeer()
    {
        lock (_evicting)
        {
            var now = time.GetTimestamp();
            Session? oldest = null;
            var longest = TimeSpan.MinValue;
            foreach (var (_, peer) in _peers)
            {
                var idle = peer.IdleFor(now);
                if (idle > longest)
                {
                    (oldest, longest) = (peer, idle);
                }
            }

            oldest?.RequestClose(CloseReason.Evicted);
            return oldest is not null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "UDP receive failed: {Error}")]
    private partial void LogReceiveFailed(SocketError error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "UDP session {SessionId}: send failed: {Error}")]
    private partial void LogSendFailed(long sessionId, SocketError error);
}
