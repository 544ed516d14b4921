using System.Diagnostics.CodeAnalysis;
using System.Net;
using EchoBridge.Contracts;
using EchoBridge.Listener;
using Microsoft.Extensions.Options;

namespace EchoBridge.Capture;

/// <summary>
/// Every capture, live and recently closed, and the one process-wide budget they share. A capture asks the store for
/// room only when it needs a new segment (every 16 KiB at most), never per message; when the total is full, the
/// oldest closed captures are evicted first, and a live one that still finds no room is cut. Closed sessions stay
/// for <see cref="CaptureOptions.RetainClosedSeconds"/>, at most <see cref="CaptureOptions.RetainClosedSessions"/>
/// of them. Bridge layers record through <see cref="Begin"/>; listener sessions through <see cref="Sessions.Session"/>.
/// </summary>
public sealed class CaptureStore(IOptions<CaptureOptions> options, ListenerEndpoints endpoints, TimeProvider time)
{
    private readonly CaptureOptions _settings = options.Value;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, CaptureRecorder> _byKey = new(StringComparer.Ordinal);
    private readonly LinkedList<CaptureRecorder> _closed = new(); // oldest first
    private long _reserved, _evicted;

    /// <summary>Whether bytes are recorded at all (<c>Capture:Enabled</c>).</summary>
    public bool Enabled => _settings.Enabled;

    /// <summary>Bytes of storage held by every capture together.</summary>
    public long ReservedBytes
    {
        get
        {
            lock (_lock)
            {
                return _reserved;
            }
        }
    }

    /// <summary>How many closed captures were evicted to make room or by age or count.</summary>
    public long EvictedCount => Interlocked.Read(ref _evicted);

    /// <summary>
    /// Starts recording a session under <paramref name="key"/> (unique among live and retained sessions: a listener
    /// session's number, a bridge session's id). <c>In</c> is what <see cref="CaptureParties.Client"/> sent.
    /// </summary>
    public CaptureRecorder Begin(string key, CaptureParties parties)
    {
        var recorder = new CaptureRecorder(this, key, parties, time.GetUtcNow(), time.GetTimestamp(), time,
            _settings.Enabled ? _settings.MaxSessionBytes : 0);
        Register(recorder);
        return recorder;
    }

    /// <summary>Starts recording a listener session (its own clock, so chunk times match the session's).</summary>
    internal CaptureRecorder CreateListener(long id, SessionKind kind, string remote, EndPoint? local,
        DateTimeOffset startedAt, long startTimestamp, bool enabled) =>
        new(this, id.ToString(System.Globalization.CultureInfo.InvariantCulture), ListenerParties(kind, remote, local),
            startedAt, startTimestamp, time, enabled && _settings.Enabled ? _settings.MaxSessionBytes : 0);

    /// <summary>Finds a live or retained capture.</summary>
    public bool TryGet(string key, [NotNullWhen(true)] out CaptureRecorder? recorder)
    {
        lock (_lock)
        {
            ExpireByAge();
            return _byKey.TryGetValue(key, out recorder);
        }
    }

    /// <summary>The retained closed captures, most recently closed first.</summary>
    public IReadOnlyList<CaptureRecorder> RecentlyClosed(int limit = int.MaxValue)
    {
        lock (_lock)
        {
            ExpireByAge();
            var list = new List<CaptureRecorder>(Math.Min(limit, _closed.Count));
            for (var node = _closed.Last; node is not null && list.Count < limit; node = node.Previous)
            {
                list.Add(node.Value);
            }

            return list;
        }
    }

    /// <summary>Drops closed captures older than the retention time (the sweeper calls this now and then).</summary>
    public void Sweep()
    {
        lock (_lock)
        {
            ExpireByAge();
        }
    }

    internal void Retire(CaptureRecorder recorder, string reason, bool byClient)
    {
        recorder.MarkClosed(reason, byClient);
        lock (_lock)
        {
            if (!_byKey.TryGetValue(recorder.Key, out var known) || known != recorder || _closed.Contains(recorder))
            {
                return;
            }

            _closed.AddLast(recorder);
            while (_closed.Count > _settings.RetainClosedSessions)
            {
                EvictOldest();
            }
        }
    }

    // Called by a capture (under its own lock) that needs a segment of `bytes`; evicts closed captures to make room.
    internal bool TryReserve(long bytes, CaptureRecorder asking)
    {
        lock (_lock)
        {
            while (_reserved + bytes > _settings.MaxTotalBytes && _closed.First is { } oldest && oldest.Value != asking)
            {
                EvictOldest();
            }

            if (_reserved + bytes > _settings.MaxTotalBytes)
            {
                return false;
            }

            _reserved += bytes;
            return true;
        }
    }

    internal void Adjust(long bytes)
    {
        lock (_lock)
        {
            _reserved += bytes;
        }
    }

    internal void Register(CaptureRecorder recorder)
    {
        lock (_lock)
        {
            ExpireByAge();
            if (_byKey.TryGetValue(recorder.Key, out var old))
            {
                // Only a retained closed capture can have the same key (ids are never reused while live).
                _closed.Remove(old);
                _reserved -= old.Evict();
            }

            _byKey[recorder.Key] = recorder;
        }
    }

    private void ExpireByAge()
    {
        var oldestKept = time.GetUtcNow() - TimeSpan.FromSeconds(_settings.RetainClosedSeconds);
        while (_closed.First is { } oldest && oldest.Value.ClosedAt < oldestKept)
        {
            EvictOldest();
        }
    }

    private void EvictOldest()
    {
        var oldest = _closed.First!.Value;
        _closed.RemoveFirst();
        _byKey.Remove(oldest.Key);
        _reserved -= oldest.Evict();
        Interlocked.Increment(ref _evicted);
    }

    private CaptureParties ListenerParties(SessionKind kind, string remote, EndPoint? local)
    {
        switch (kind)
        {
            case SessionKind.Unix:
                var path = endpoints.UnixPath ?? "unix socket";
                return new CaptureParties(kind, null, null, $"Unix socket {path}, client {remote}");
            default:
                var client = IPEndPoint.TryParse(remote, out var parsed) ? parsed : null;
                var server = Normalize(local as IPEndPoint) ?? ServerFor(kind, client);
                var proto = kind switch { SessionKind.Udp => "UDP", SessionKind.Tls => "TLS", _ => "TCP" };
                // A TLS session is stored as what the echo read and wrote: the bytes inside TLS, shown as plain TCP.
                var note = kind == SessionKind.Tls ? " (decrypted: the TLS records are not kept)" : "";
                return new CaptureParties(kind, client, server, $"{proto} {remote} -> {server?.ToString() ?? "?"}{note}");
        }
    }

    // The listener's bound end point for the client's address family; a wildcard bind answers on the address the client
    // reached, which for a loopback client is loopback (UDP does not say which address a datagram was sent to).
    private IPEndPoint? ServerFor(SessionKind kind, IPEndPoint? client)
    {
        var bound = kind == SessionKind.Udp ? endpoints.Udp : endpoints.Tcp;
        var family = client?.AddressFamily ?? System.Net.Sockets.AddressFamily.InterNetwork;
        var match = bound.FirstOrDefault(e => e.AddressFamily == family) ?? bound.FirstOrDefault();
        if (match is null)
        {
            return null;
        }

        var address = match.Address;
        if ((address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) && client is not null)
        {
            var v4 = client.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
            address = IPAddress.IsLoopback(client.Address)
                ? v4 ? IPAddress.Loopback : IPAddress.IPv6Loopback
                : v4 ? IPAddress.Any : IPAddress.IPv6Any;
        }

        return Normalize(new IPEndPoint(address, match.Port));
    }

    private static IPEndPoint? Normalize(IPEndPoint? endPoint) =>
        endPoint is { Address.IsIPv4MappedToIPv6: true } ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
}
