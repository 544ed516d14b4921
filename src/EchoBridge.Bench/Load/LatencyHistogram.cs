using System.Diagnostics;
using System.Numerics;

namespace EchoBridge.Bench.Load;

/// <summary>
/// Round-trip times in <see cref="Stopwatch"/> ticks, in a fixed log-linear histogram (HdrHistogram's layout, kept
/// small): values below 128 are exact, and every power of two above is split into 64 buckets, so a reported value is
/// off by less than 1/128 (0.8%). Recording is an array increment: no allocation, no lock — each connection owns one
/// and they are merged after the run.
/// </summary>
public sealed class LatencyHistogram
{
    private const int ExactBits = 7;                       // values 0..127 have a bucket each
    private const int Exact = 1 << ExactBits;
    private const int PerOctave = Exact / 2;               // 64 buckets per power of two above that
    private const int MaxBits = 42;                        // 2^42 ns is 73 minutes: longer is clamped
    private const int BucketCount = Exact + ((MaxBits - ExactBits) * PerOctave);
    private const long MaxValue = (1L << MaxBits) - 1;

    private readonly long[] _counts = new long[BucketCount];

    /// <summary>Values recorded.</summary>
    public long Count { get; private set; }

    /// <summary>Smallest value recorded (ticks).</summary>
    public long Min { get; private set; } = long.MaxValue;

    /// <summary>Largest value recorded (ticks).</summary>
    public long Max { get; private set; }

    /// <summary>Sum of the values recorded (ticks), for the mean.</summary>
    public long Sum { get; private set; }

    /// <summary>Records one value.</summary>
    public void Record(long ticks)
    {
        ticks = Math.Clamp(ticks, 0, MaxValue);
        _counts[IndexOf(ticks)]++;
        Count++;
        Sum += ticks;
        Min = Math.Min(Min, ticks);
        Max = Math.Max(Max, ticks);
    }

    /// <summary>Adds everything <paramref name="other"/> recorded.</summary>
    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < BucketCount; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        Sum += other.Sum;
        Min = Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The value at <paramref name="percentile"/> (0–100), in ticks; 0 when nothing was recorded.</summary>
    public long ValueAt(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * Count));
        if (rank >= Count)
        {
            return Max;
        }

        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Clamp(MidpointOf(i), Min, Max);
            }
        }

        return Max;
    }

    private static int IndexOf(long value)
    {
        if (value < Exact)
        {
            return (int)value;
        }

        var shift = 63 - BitOperations.LeadingZeroCount((ulong)value) - (ExactBits - 1); // ≥ 1
        var top = (int)(value >> shift);                                                  // 64..127
        return Exact + ((shift - 1) * PerOctave) + (top - PerOctave);
    }

    private static long MidpointOf(int index)
    {
        if (index < Exact)
        {
            return index;
        }

        var shift = ((index - Exact) / PerOctave) + 1;
        var top = (long)((index - Exact) % PerOctave) + PerOctave;
        return (top << shift) + ((1L << shift) >> 1);
    }
}
