using System.Diagnostics;
using EchoBridge.Bench.Load;

namespace EchoBridge.Bench.Reporting;

/// <summary>Round-trip percentiles in microseconds.</summary>
public sealed record LatencySummary(double P50, double P90, double P99, double P999, double Max, double Mean)
{
    /// <summary>Summarises <paramref name="histogram"/> (Stopwatch ticks).</summary>
    public static LatencySummary From(LatencyHistogram histogram)
    {
        double Us(long ticks) => Math.Round(ticks * 1e6 / Stopwatch.Frequency, 1);
        var mean = histogram.Count == 0 ? 0 : Math.Round(histogram.Sum * 1e6 / Stopwatch.Frequency / histogram.Count, 1);
        return new(Us(histogram.ValueAt(50)), Us(histogram.ValueAt(90)), Us(histogram.ValueAt(99)), Us(histogram.ValueAt(99.9)),
            Us(histogram.Count == 0 ? 0 : histogram.Max), mean);
    }
}
