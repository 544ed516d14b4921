using System.Buffers;
using EchoBridge.Contracts;

namespace EchoBridge.Sessions;

/// <summary>
/// The recent traffic of one session, both directions, in a bounded amount of memory: the last <see cref="Slots"/>
/// chunks, each cut to <see cref="SlotBytes"/> bytes. Recording copies into the ring's storage under an uncontended
/// lock. The storage starts at <see cref="FirstSlots"/> slots and doubles as chunks come, up to <see cref="Slots"/>:
/// a quiet user who typed one line costs a few hundred bytes, not 5 KiB, and a busy session allocates three times in
/// its life, then never again. Readers ask for what came after the sequence number they last saw.
/// </summary>
public sealed class TrafficRing
{
    /// <summary>How many chunks are kept.</summary>
    public const int Slots = 32;

    /// <summary>How many bytes of each chunk are kept.</summary>
    public const int SlotBytes = 128;

    /// <summary>How many slots the storage starts with.</summary>
    public const int FirstSlots = 4;

    private byte[] _bytes = new byte[FirstSlots * SlotBytes];
    private Chunk[] _chunks = new Chunk[FirstSlots];
    private readonly Lock _lock = new();
    private long _written;

    /// <summary>The sequence number of the newest chunk (0 when nothing was recorded).</summary>
    public long LastSeq => Volatile.Read(ref _written);

    /// <summary>Records one chunk from a single span.</summary>
    public void Record(TrafficDirection direction, ReadOnlySpan<byte> data, long timestamp)
    {
        lock (_lock)
        {
            var slot = NextSlot();
            var kept = Math.Min(data.Length, SlotBytes);
            data[..kept].CopyTo(_bytes.AsSpan(slot * SlotBytes, kept));
            _chunks[slot] = new Chunk(direction, timestamp, data.Length);
            Volatile.Write(ref _written, _written + 1);
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

        lock (_lock)
        {
            var slot = NextSlot();
            var kept = (int)Math.Min(data.Length, SlotBytes);
            data.Slice(0, kept).CopyTo(_bytes.AsSpan(slot * SlotBytes, kept));
            _chunks[slot] = new Chunk(direction, timestamp, (int)Math.Min(data.Length, int.MaxValue));
            Volatile.Write(ref _written, _written + 1);
        }
    }

    /// <summary>
    /// Adds to <paramref name="into"/> the chunks newer than <paramref name="afterSeq"/> that are still kept, oldest
    /// first, and returns how many newer chunks were already overwritten (skipped).
    /// </summary>
    public long CopySince(long afterSeq, Func<long, DateTimeOffset> timeOf, List<TrafficFrame> into)
    {
        lock (_lock)
        {
            var first = Math.Max(afterSeq, _written - _chunks.Length);
            for (var seq = first; seq < _written; seq++)
            {
                var slot = (int)(seq % _chunks.Length);
                var chunk = _chunks[slot];
                var kept = Math.Min(chunk.Length, SlotBytes);
                into.Add(new TrafficFrame(
                    seq + 1,
                    chunk.Direction,
                    _bytes.AsSpan(slot * SlotBytes, kept).ToArray(),
                    timeOf(chunk.Timestamp),
                    chunk.Length > kept,
                    chunk.Length));
            }

            return first - afterSeq;
        }
    }

    // The slot of the chunk being recorded (under the lock). The storage grows only when every slot is taken for the
    // first time: chunks 0..n-1 then sit in slots 0..n-1 of the old arrays and of the doubled ones alike.
    private int NextSlot()
    {
        if (_written == _chunks.Length && _chunks.Length < Slots)
        {
            Array.Resize(ref _chunks, _chunks.Length * 2);
            Array.Resize(ref _bytes, _chunks.Length * SlotBytes);
        }

        return (int)(_written % _chunks.Length);
    }

    private readonly record struct Chunk(TrafficDirection Direction, long Timestamp, int Length);
}
