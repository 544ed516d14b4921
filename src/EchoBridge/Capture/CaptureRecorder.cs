using System.Buffers;
using System.Buffers.Binary;
using EchoBridge.Contracts;

namespace EchoBridge.Capture;

/// <summary>
/// The capture of one session: every chunk in both directions with its time, appended to storage rented from the
/// array pool in segments that start small (256 B) and double up to 16 KiB, so a session that sent one line costs a
/// few hundred bytes and a busy one rents a segment per 16 KiB, never per message. Each chunk is stored as a 13-byte
/// header (direction, timestamp, length) followed by its bytes. Past <see cref="CaptureOptions.MaxSessionBytes"/> (or
/// when the store has no room left) the capture is cut: the chunks after that are counted, not stored. Writers and
/// readers meet under an uncontended lock; exports copy the storage out and format outside it.
/// </summary>
public sealed class CaptureRecorder
{
    internal const int HeaderBytes = 13;
    private const int FirstSegmentBytes = 256, MaxSegmentBytes = 16 * 1024;

    private readonly CaptureStore _store;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly int _maxPayload;
    private readonly Lock _lock = new();
    private List<byte[]>? _segments;
    private byte[]? _current;
    private int _currentIndex;
    private int _used;           // bytes used in _current
    private long _stored;        // bytes stored in all segments (headers and payload)
    private long _payload;       // payload bytes stored
    private long _reserved;      // bytes of segments rented (what the store's total counts)
    private long _chunks;
    private long _cutTimestamp;
    private string? _cutReason;
    private long _droppedIn, _droppedOut, _droppedChunks;
    private bool _evicted;

    internal CaptureRecorder(CaptureStore store, string key, CaptureParties parties, DateTimeOffset startedAt,
        long startTimestamp, TimeProvider time, int maxPayload)
    {
        _store = store;
        Key = key;
        Parties = parties;
        StartedAt = startedAt;
        _startTimestamp = startTimestamp;
        _time = time;
        _maxPayload = maxPayload;
    }

    /// <summary>The session's id as the dashboard and the export URLs name it (<c>42</c>, or <c>b7</c> for a bridge session).</summary>
    public string Key { get; }

    /// <summary>Who talked.</summary>
    public CaptureParties Parties { get; }

    /// <summary>When the session began.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>When the session ended, once it has.</summary>
    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>Why the session ended, once it has.</summary>
    public string? CloseReason { get; private set; }

    /// <summary>Whether the client side ended the session (its FIN comes first in a pcapng export).</summary>
    public bool ClosedByClient { get; private set; }

    /// <summary>The dashboard's last view of a listener session, set when it closed (null for bridge sessions).</summary>
    public SessionSummary? Summary { get; internal set; }

    /// <summary>The dashboard's last view of a bridge session, set when it closed (null for listener sessions).</summary>
    public BridgeSessionSummary? BridgeSummary { get; internal set; }

    /// <summary>Bytes of storage this capture holds.</summary>
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

    /// <summary>Records bytes the client sent.</summary>
    public void RecordIn(ReadOnlySpan<byte> data) => Record(TrafficDirection.In, data, _time.GetTimestamp());

    /// <summary>Records bytes sent to the client.</summary>
    public void RecordOut(ReadOnlySpan<byte> data) => Record(TrafficDirection.Out, data, _time.GetTimestamp());

    /// <summary>Ends the capture: later chunks are ignored; the session stays exportable for the retention time.</summary>
    public void Close(string reason, bool byClient) => _store.Retire(this, reason, byClient);

    /// <summary>Records one chunk taken at <paramref name="timestamp"/> (a <see cref="TimeProvider"/> timestamp).</summary>
    public void Record(TrafficDirection direction, ReadOnlySpan<byte> data, long timestamp)
    {
        if (data.IsEmpty)
        {
            return;
        }

        lock (_lock)
        {
            if (_evicted || ClosedAt is not null)
            {
                return;
            }

            if (_cutReason is not null)
            {
                Drop(direction, data.Length);
                return;
            }

            var kept = (int)Math.Min(data.Length, _maxPayload - _payload);
            if (kept == 0)
            {
                Cut(timestamp, $"the session limit (Capture:MaxSessionBytes = {_maxPayload}) was reached");
                Drop(direction, data.Length);
                return;
            }

            if (!EnsureRoom(HeaderBytes + kept))
            {
                Cut(timestamp, "the total capture limit (Capture:MaxTotalBytes) was reached");
                Drop(direction, data.Length);
                return;
            }

            Span<byte> header = stackalloc byte[HeaderBytes];
            header[0] = (byte)direction;
            BinaryPrimitives.WriteInt64LittleEndian(header[1..], timestamp);
            BinaryPrimitives.WriteInt32LittleEndian(header[9..], kept);
            Append(header);
            Append(data[..kept]);
            _payload += kept;
            _chunks++;
            if (kept < data.Length)
            {
                Cut(timestamp, $"the session limit (Capture:MaxSessionBytes = {_maxPayload}) was reached");
                Drop(direction, data.Length - kept);
                _droppedChunks--; // the chunk itself was stored, in part
            }
        }
    }

    /// <summary>Records one chunk from a (possibly multi-segment) sequence.</summary>
    public void Record(TrafficDirection direction, in ReadOnlySequence<byte> data, long timestamp)
    {
        if (data.IsSingleSegment)
        {
            Record(direction, data.FirstSpan, timestamp);
            return;
        }

        // Rare (a read that spans two transport blocks): one stored chunk per segment keeps the writer simple.
        foreach (var segment in data)
        {
            Record(direction, segment.Span, timestamp);
        }
    }

    /// <summary>A copy of everything stored, to export (null once evicted).</summary>
    public CaptureSnapshot? Snapshot()
    {
        byte[] copy;
        CaptureCut? cut;
        lock (_lock)
        {
            if (_evicted)
            {
                return null;
            }

            copy = new byte[_stored];
            var at = 0;
            foreach (var segment in _segments ?? [])
            {
                var length = (int)Math.Min(segment.Length, _stored - at);
                segment.AsSpan(0, length).CopyTo(copy.AsSpan(at));
                at += length;
                if (segment == _current)
                {
                    break;
                }
            }

            cut = _cutReason is null
                ? null
                : new CaptureCut(TimeOf(_cutTimestamp), _cutReason, _droppedIn, _droppedOut, _droppedChunks);
        }

        return new CaptureSnapshot(Key, Parties, StartedAt, ClosedAt, CloseReason, ClosedByClient, Parse(copy), cut);
    }

    internal void MarkClosed(string reason, bool byClient)
    {
        lock (_lock)
        {
            CloseReason ??= reason;
            ClosedByClient = byClient;
            ClosedAt ??= _time.GetUtcNow();
        }
    }

    /// <summary>Gives the storage back; returns how many bytes it held.</summary>
    internal long Evict()
    {
        lock (_lock)
        {
            _evicted = true;
            foreach (var segment in _segments ?? [])
            {
                ArrayPool<byte>.Shared.Return(segment);
            }

            _segments = null;
            _current = null;
            var freed = _reserved;
            _reserved = 0;
            return freed;
        }
    }

    private List<CaptureChunk> Parse(byte[] stored)
    {
        var chunks = new List<CaptureChunk>();
        var at = 0;
        while (at + HeaderBytes <= stored.Length)
        {
            var direction = (TrafficDirection)stored[at];
            var timestamp = BinaryPrimitives.ReadInt64LittleEndian(stored.AsSpan(at + 1));
            var length = BinaryPrimitives.ReadInt32LittleEndian(stored.AsSpan(at + 9));
            chunks.Add(new CaptureChunk(TimeOf(timestamp), direction, stored.AsMemory(at + HeaderBytes, length)));
            at += HeaderBytes + length;
        }

        return chunks;
    }

    private DateTimeOffset TimeOf(long timestamp) => StartedAt + _time.GetElapsedTime(_startTimestamp, timestamp);

    private void Cut(long timestamp, string reason)
    {
        _cutTimestamp = timestamp;
        _cutReason = reason;
    }

    private void Drop(TrafficDirection direction, long bytes)
    {
        if (direction == TrafficDirection.In)
        {
            _droppedIn += bytes;
        }
        else
        {
            _droppedOut += bytes;
        }

        _droppedChunks++;
    }

    // Makes sure `count` more bytes fit, renting segments (each counted against the store's total) as needed.
    private bool EnsureRoom(int count)
    {
        var free = _reserved - _stored;
        while (free < count)
        {
            var size = Math.Min(MaxSegmentBytes, FirstSegmentBytes << Math.Min(_segments?.Count ?? 0, 6));
            if (!_store.TryReserve(size, this))
            {
                return false;
            }

            var segment = ArrayPool<byte>.Shared.Rent(size);
            _store.Adjust(segment.Length - size); // the pool may round up
            _reserved += segment.Length;
            free += segment.Length;
            (_segments ??= new List<byte[]>(4)).Add(segment);
            if (_current is null)
            {
                _current = segment;
                _currentIndex = 0;
                _used = 0;
            }
        }

        return true;
    }

    // Copies into the current segment and the ones after it (EnsureRoom made sure they exist).
    private void Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var room = _current!.Length - _used;
            if (room == 0)
            {
                _current = _segments![++_currentIndex];
                _used = 0;
                continue;
            }

            var n = Math.Min(room, data.Length);
            data[..n].CopyTo(_current.AsSpan(_used));
            _used += n;
            _stored += n;
            data = data[n..];
        }
    }
}
