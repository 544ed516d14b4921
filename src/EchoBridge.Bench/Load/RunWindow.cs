using System.Diagnostics;

namespace EchoBridge.Bench.Load;

/// <summary>
/// The timeline of one run, in <see cref="Stopwatch"/> ticks: warmup from <see cref="Start"/>, measurement from
/// <see cref="MeasureFrom"/> to <see cref="StopAt"/>. Loops check it between messages (a timestamp compare, no lock);
/// Ctrl+C moves <see cref="StopAt"/> to now, and the report then covers the shorter window honestly.
/// </summary>
public sealed class RunWindow
{
    private long _stopAt;
    private volatile bool _aborted;

    /// <summary>Starts the clock now.</summary>
    public RunWindow(TimeSpan warmup, TimeSpan duration)
    {
        Start = Stopwatch.GetTimestamp();
        MeasureFrom = Start + ToTicks(warmup);
        _stopAt = MeasureFrom + ToTicks(duration);
    }

    /// <summary>When the run (and its warmup) began.</summary>
    public long Start { get; }

    /// <summary>When measuring begins: echoes completed before are warmup.</summary>
    public long MeasureFrom { get; }

    /// <summary>When loops stop sending.</summary>
    public long StopAt => Volatile.Read(ref _stopAt);

    /// <summary>Whether pending I/O was cut off because echoes did not come back in time.</summary>
    public bool Aborted => _aborted;

    /// <summary>The measured time, once the run is over (less than asked if it was stopped early).</summary>
    public TimeSpan Measured => Stopwatch.GetElapsedTime(MeasureFrom, Math.Max(MeasureFrom, StopAt));

    /// <summary>Whether a message may still be started at <paramref name="now"/>.</summary>
    public bool IsOver(long now) => now >= StopAt;

    /// <summary>Whether something that completed at <paramref name="at"/> is part of the measurement.</summary>
    public bool Counts(long at) => at >= MeasureFrom && at < StopAt;

    /// <summary>How long until <see cref="MeasureFrom"/> (zero once past).</summary>
    public TimeSpan UntilMeasuring() => Until(MeasureFrom);

    /// <summary>How long until <see cref="StopAt"/> (zero once past).</summary>
    public TimeSpan UntilStop() => Until(StopAt);

    /// <summary>Ends the run early (Ctrl+C): no new message starts.</summary>
    public void StopNow()
    {
        var now = Stopwatch.GetTimestamp();
        long current;
        while (now < (current = Volatile.Read(ref _stopAt)) && Interlocked.CompareExchange(ref _stopAt, now, current) != current)
        {
            // another thread moved it meanwhile; retry against the new value
        }
    }

    /// <summary>Marks the run as cut off, before the loops' pending I/O is ended.</summary>
    public void Abort() => _aborted = true;

    private static TimeSpan Until(long timestamp)
    {
        var now = Stopwatch.GetTimestamp();
        return now >= timestamp ? TimeSpan.Zero : Stopwatch.GetElapsedTime(now, timestamp);
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
