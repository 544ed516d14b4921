namespace EchoBridge.Bench.Load;

/// <summary>
/// What one connection's loop saw. Written only by that loop; <see cref="Completed"/> and <see cref="IntegrityErrors"/>
/// are also read by the progress line while it runs, the rest after the run.
/// </summary>
public sealed class LoopStats
{
    private long _completed, _integrityErrors;
    private LatencyHistogram? _latency;

    /// <summary>Round trips of the measured window; null until <see cref="BeginRun"/>.</summary>
    public LatencyHistogram? Latency => _latency;

    /// <summary>Echoes received so far, warmup included.</summary>
    public long Completed => Volatile.Read(ref _completed);

    /// <summary>Echoes that differed from what was sent (any byte, or the length).</summary>
    public long IntegrityErrors => Volatile.Read(ref _integrityErrors);

    /// <summary>Messages whose echo never came (UDP: the datagram or its echo was dropped).</summary>
    public long Lost { get; private set; }

    /// <summary>Echoes of an earlier message that arrived after it was given up as lost (UDP).</summary>
    public long Late { get; private set; }

    /// <summary>Why the loop ended early: the connection failed, was closed, or stalled. Null when it ran to the end.</summary>
    public string? Failure { get; private set; }

    /// <summary>
    /// Makes the latency histogram before the run's clock starts: not during the measurement, where its 19 KB would
    /// show up as the bench's own allocations, and not for idle connections, which never record a round trip.
    /// </summary>
    public void BeginRun() => _latency ??= new();

    /// <summary>Records one finished round trip that started at <paramref name="start"/> and ended at <paramref name="end"/>.</summary>
    public void Record(long start, long end, bool intact, RunWindow window)
    {
        Volatile.Write(ref _completed, _completed + 1);
        if (!intact)
        {
            Volatile.Write(ref _integrityErrors, _integrityErrors + 1);
        }

        if (window.Counts(end))
        {
            _latency?.Record(end - start);
        }
    }

    /// <summary>Counts a message given up as lost.</summary>
    public void RecordLost() => Lost++;

    /// <summary>Counts a late echo, skipped.</summary>
    public void RecordLate() => Late++;

    /// <summary>Records why the loop ended early.</summary>
    public void Fail(string reason) => Failure ??= reason;
}
