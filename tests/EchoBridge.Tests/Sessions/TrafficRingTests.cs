using EchoBridge.Contracts;
using EchoBridge.Sessions;
using EchoBridge.Tests.Infrastructure;

namespace EchoBridge.Tests.Sessions;

public sealed class TrafficRingTests
{
    private static DateTimeOffset TimeOf(long timestamp) => DateTimeOffset.UnixEpoch.AddTicks(timestamp);

    [Fact]
    public void Chunks_come_back_in_order_with_direction_time_and_bytes()
    {
        var ring = new TrafficRing();
        ring.Record(TrafficDirection.In, "ping"u8, 10);
        ring.Record(TrafficDirection.Out, Segments.Of("pi"u8.ToArray(), "ng"u8.ToArray()), 20);
        var frames = new List<TrafficFrame>();

        var skipped = ring.CopySince(0, TimeOf, frames);

        Assert.Equal(0, skipped);
        Assert.Equal([1L, 2L], frames.Select(f => f.Seq));
        Assert.Equal([TrafficDirection.In, TrafficDirection.Out], frames.Select(f => f.Direction));
        Assert.All(frames, f => Assert.Equal("ping"u8.ToArray(), f.Data));
        Assert.Equal(TimeOf(20), frames[1].At);
        Assert.Equal([4, 4], frames.Select(f => f.Size));
        Assert.Equal(2, ring.LastSeq);
    }

    [Fact]
    public void A_long_chunk_is_cut_and_marked_truncated()
    {
        var ring = new TrafficRing();
        var big = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        ring.Record(TrafficDirection.In, big, 1);
        ring.Record(TrafficDirection.In, Segments.Of(big[..100], big[100..]), 2);
        var frames = new List<TrafficFrame>();

        ring.CopySince(0, TimeOf, frames);

        Assert.All(frames, f =>
        {
            Assert.True(f.Truncated);
            Assert.Equal(big[..TrafficRing.SlotBytes], f.Data);
            Assert.Equal(1000, f.Size); // the read's real size, for the lab's timeline
        });
    }

    [Fact]
    public void Only_the_newest_chunks_are_kept_and_the_overwritten_ones_are_counted()
    {
        var ring = new TrafficRing();
        for (var i = 0; i < TrafficRing.Slots + 10; i++)
        {
            ring.Record(TrafficDirection.In, [(byte)i], i);
        }

        var frames = new List<TrafficFrame>();
        var skipped = ring.CopySince(5, TimeOf, frames);

        Assert.Equal(5, skipped);
        Assert.Equal(TrafficRing.Slots, frames.Count);
        Assert.Equal(11, frames[0].Seq);
        Assert.Equal([(byte)(TrafficRing.Slots + 9)], frames[^1].Data);

        frames.Clear();
        Assert.Equal(0, ring.CopySince(ring.LastSeq, TimeOf, frames));
        Assert.Empty(frames);
    }

    [Fact]
    public void Every_chunk_survives_the_storage_growing_from_a_few_slots_to_all()
    {
        var ring = new TrafficRing();
        var frames = new List<TrafficFrame>();
        for (var i = 0; i < TrafficRing.Slots; i++)
        {
            ring.Record(i % 2 == 0 ? TrafficDirection.In : TrafficDirection.Out, [(byte)i, (byte)(i + 1)], i);

            frames.Clear();
            Assert.Equal(0, ring.CopySince(0, TimeOf, frames));
            Assert.Equal(Enumerable.Range(1, i + 1).Select(n => (long)n), frames.Select(f => f.Seq));
            Assert.All(frames, (f, n) =>
            {
                Assert.Equal([(byte)n, (byte)(n + 1)], f.Data);
                Assert.Equal(n % 2 == 0 ? TrafficDirection.In : TrafficDirection.Out, f.Direction);
                Assert.Equal(TimeOf(n), f.At);
            });
        }
    }
}
