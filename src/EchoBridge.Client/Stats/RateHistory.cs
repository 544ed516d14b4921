using EchoBridge.Contracts;

namespace EchoBridge.Client.Stats;

/// <summary>The rates of the last minute (by the server's clock), oldest first, for the chart.</summary>
public sealed class RateHistory
{
    /// <summary>How far back the chart looks.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Queue<RateSample> _samples = new();

    /// <summary>The samples within <see cref="Window"/> of the newest, oldest first.</summary>
    public IReadOnlyCollection<RateSample> Samples => _samples;

    /// <summary>Adds the rates of a snapshot and forgets those older than the window.</summary>
    public void Add(DashboardSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var c = snapshot.Counters;
        _samples.Enqueue(new RateSample(snapshot.At, c.MessagesInPerSecond, c.MessagesOutPerSecond, c.BytesInPerSecond, c.BytesOutPerSecond));
        while (_samples.Count > 0 && snapshot.At - _samples.Peek().At > Window)
        {
            _samples.Dequeue();
        }
    }
}
