namespace EchoBridge.Bench.Hostile;

/// <summary>
/// One kind of hostile client. <see cref="RunAsync"/> brings its clients (bounded in count), keeps them until
/// the window is over (the phase's time is up, or the run is stopped), then lets them all go and says what became of them.
/// </summary>
public interface IHostilePhase
{
    /// <summary>A short name: <c>connection-flood</c>.</summary>
    string Key { get; }

    /// <summary>What the clients do, for the report.</summary>
    string Title { get; }

    /// <summary>Runs the phase against <paramref name="server"/>.</summary>
    Task<PhaseLoad> RunAsync(HostileServer server, PhaseWindow window);
}

/// <summary>What a phase's clients were (<see cref="Clients"/>) and what became of them, counted by outcome.</summary>
public sealed record PhaseLoad(string Clients, IReadOnlyDictionary<string, long> Outcome);

/// <summary>Counts of outcomes, safe to add to from many clients at once.</summary>
public sealed class OutcomeCounts
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly string[] _order;

    /// <summary>Counts whose names, in <paramref name="order"/>, are always shown (0 included).</summary>
    public OutcomeCounts(params string[] order)
    {
        _order = order;
        foreach (var name in order)
        {
            _counts[name] = 0;
        }
    }

    /// <summary>Adds <paramref name="count"/> to <paramref name="outcome"/>.</summary>
    public void Add(string outcome, long count = 1) => _counts.AddOrUpdate(outcome, count, (_, c) => c + count);

    /// <summary>The counts, the named ones first in their order.</summary>
    public IReadOnlyDictionary<string, long> Snapshot()
    {
        var snapshot = new OrderedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var name in _order.Concat(_counts.Keys.Where(k => !_order.Contains(k)).Order(StringComparer.Ordinal)))
        {
            snapshot[name] = _counts[name];
        }

        return snapshot;
    }
}

/// <summary>The time a phase's clients have: its length, and a token that fires when it is over (or the run is stopped).</summary>
public sealed record PhaseWindow(TimeSpan Length, CancellationToken Over)
{
    /// <summary>Waits until the window is over.</summary>
    public Task HoldAsync() => DelayAsync(Timeout.InfiniteTimeSpan);

    /// <summary>Waits <paramref name="delay"/>, or less when the window is over first.</summary>
    public async Task DelayAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, Over);
        }
        catch (OperationCanceledException)
        {
            // the phase is over: the clients leave
        }
    }
}
