using EchoBridge.Bench.Suite;

namespace EchoBridge.Bench.Hostile;

/// <summary>What the samples and the veterans' echoes of one phase come to.</summary>
public sealed record PhaseFigures(
    int Samples,
    double RssStartMib,
    double RssPeakMib,
    double RssEndMib,
    double CpuMeanPercent,
    double CpuMaxPercent,
    int DescriptorsPeak,
    int DescriptorsEnd,
    int ThreadsPeak,
    long VeteransOk,
    long VeteransFailed,
    double? VeteranP99Ms,
    double? VeteranMaxMs)
{
    /// <summary>
    /// The figures of phase <paramref name="phase"/>. CPU is taken between consecutive samples (in time order) whose
    /// later one belongs to the phase, so the step into the phase counts for it; the mean is total CPU over total time.
    /// The highest is over two sampling intervals (a second at the default), as /proc's CPU times move in jumps: over
    /// half a second alone a server pinned to one core showed up to 130 %.
    /// </summary>
    public static PhaseFigures From(int phase, IReadOnlyList<ProcSample> samples, IReadOnlyList<VeteranEcho> echoes)
    {
        var ordered = samples.OrderBy(s => s.AtSeconds).ToList();
        var own = ordered.Where(s => s.Phase == phase).ToList();
        var (cpu, wall, max) = (0.0, 0.0, 0.0);
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Phase != phase)
            {
                continue;
            }

            var dt = ordered[i].AtSeconds - ordered[i - 1].AtSeconds;
            if (dt > 0)
            {
                cpu += ordered[i].CpuSeconds - ordered[i - 1].CpuSeconds;
                wall += dt;
            }

            var from = ordered[Math.Max(0, i - 2)];
            var window = ordered[i].AtSeconds - from.AtSeconds;
            if (window > 0)
            {
                max = Math.Max(max, 100 * (ordered[i].CpuSeconds - from.CpuSeconds) / window);
            }
        }

        var mine = echoes.Where(e => e.Phase == phase).ToList();
        var served = mine.Where(e => e.Ok).Select(e => e.Milliseconds).ToList();
        static double MiB(long kib) => Math.Round(kib / 1024.0, 1);
        return new PhaseFigures(
            own.Count,
            own.Count > 0 ? MiB(own[0].RssKiB) : 0,
            own.Count > 0 ? MiB(own.Max(s => s.RssKiB)) : 0,
            own.Count > 0 ? MiB(own[^1].RssKiB) : 0,
            wall > 0 ? Math.Round(100 * cpu / wall, 1) : 0,
            Math.Round(max, 1),
            own.Count > 0 ? own.Max(s => s.Descriptors) : 0,
            own.Count > 0 ? own[^1].Descriptors : 0,
            own.Count > 0 ? own.Max(s => s.Threads) : 0,
            served.Count,
            mine.Count - served.Count,
            Statistics.Percentile(served, 99) is { } p99 ? Math.Round(p99, 2) : null,
            served.Count > 0 ? Math.Round(served.Max(), 2) : null);
    }
}
