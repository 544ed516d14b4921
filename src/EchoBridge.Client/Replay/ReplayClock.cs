namespace EchoBridge.Client.Replay;

/// <summary>
/// Where a replay is on its timeline: a position in milliseconds of the session's own time, moved by
/// <see cref="Advance"/> (real time elapsed × speed) while playing, or set by dragging. Pure, so it is tested alone.
/// </summary>
public sealed class ReplayClock(double durationMs)
{
    /// <summary>The speeds the page offers.</summary>
    public static readonly IReadOnlyList<double> Speeds = [0.25, 0.5, 1, 2, 5, 10];

    /// <summary>The timeline's length.</summary>
    public double DurationMs { get; } = durationMs;

    /// <summary>The current position.</summary>
    public double PositionMs { get; private set; }

    /// <summary>Whether it is playing.</summary>
    public bool Playing { get; private set; }

    /// <summary>How many session milliseconds pass per real millisecond.</summary>
    public double Speed { get; set; } = 1;

    /// <summary>Starts playing (from the start again when at the end).</summary>
    public void Play()
    {
        if (PositionMs >= DurationMs)
        {
            PositionMs = 0;
        }

        Playing = true;
    }

    /// <summary>Stops where it is.</summary>
    public void Pause() => Playing = false;

    /// <summary>Jumps to a point (clamped to the timeline).</summary>
    public void Seek(double ms) => PositionMs = Math.Clamp(ms, 0, DurationMs);

    /// <summary>Moves on by <paramref name="realMs"/> of real time; stops at the end.</summary>
    public void Advance(double realMs)
    {
        if (!Playing)
        {
            return;
        }

        Seek(PositionMs + realMs * Speed);
        if (PositionMs >= DurationMs)
        {
            Playing = false;
        }
    }

    /// <summary>How many of <paramref name="chunks"/> (ordered by time) have happened by the current position.</summary>
    public int Shown(IReadOnlyList<ReplayChunk> chunks)
    {
        var count = 0;
        while (count < chunks.Count && chunks[count].Ms <= PositionMs)
        {
            count++;
        }

        return count;
    }
}
