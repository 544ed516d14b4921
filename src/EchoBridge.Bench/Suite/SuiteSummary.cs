namespace EchoBridge.Bench.Suite;

/// <summary>
/// One peer at one shape over all rounds: medians of its clean runs, and its msgs/s as a ratio to refecho's median at
/// the same shape in the same suite run (the figure that holds across machines).
/// </summary>
public sealed record SummaryCell(
    string Peer,
    string Shape,
    int Runs,
    int Failed,
    double? MsgsPerSecond,
    double? MegabytesPerSecond,
    double? P50,
    double? P90,
    double? P99,
    double? ServerCpuPercent,
    double? Ratio);

/// <summary>The medians and ratios behind the report and the charts.</summary>
public sealed class SuiteSummary
{
    /// <summary>The peer every ratio divides by.</summary>
    public const string Ceiling = "refecho";

    private readonly Dictionary<(string Peer, string Shape), SummaryCell> _cells;

    private SuiteSummary(Dictionary<(string, string), SummaryCell> cells, IReadOnlyList<string> peers, IReadOnlyList<string> shapes)
    {
        _cells = cells;
        Peers = peers;
        Shapes = shapes;
    }

    /// <summary>Peers that ran, in report order.</summary>
    public IReadOnlyList<string> Peers { get; }

    /// <summary>Shapes that ran, in the order of the configuration.</summary>
    public IReadOnlyList<string> Shapes { get; }

    /// <summary>Every cell, peer by peer.</summary>
    public IEnumerable<SummaryCell> Cells => Peers.SelectMany(p => Shapes.Select(s => Find(p, s))).OfType<SummaryCell>();

    /// <summary>Summarizes <paramref name="result"/>.</summary>
    public static SuiteSummary From(SuiteResult result)
    {
        var configured = result.Configuration.Shapes.Concat(result.Configuration.UdpShapes).Concat(result.Configuration.HubShapes)
            .Concat(result.Configuration.WebSocketShapes).Concat(result.Configuration.WatchedShapes);
        var shapes = configured.Concat(result.Runs.Select(r => r.Shape)).Distinct().Where(s => result.Runs.Any(r => r.Shape == s)).ToList();
        var peers = result.Peers.Select(p => p.Key).Where(p => result.Runs.Any(r => r.Peer == p)).ToList();
        var medians = result.Runs.GroupBy(r => (r.Peer, r.Shape)).ToDictionary(g => g.Key, g =>
        {
            var clean = g.Where(r => r.Ok).ToList();
            return new SummaryCell(g.Key.Peer, g.Key.Shape, g.Count(), g.Count() - clean.Count,
                Statistics.Median(clean.Select(r => r.MsgsPerSecond)),
                Statistics.Median(clean.Select(r => r.MegabytesPerSecond)),
                Statistics.Median(clean.Select(r => r.P50).OfType<double>()),
                Statistics.Median(clean.Select(r => r.P90).OfType<double>()),
                Statistics.Median(clean.Select(r => r.P99).OfType<double>()),
                Statistics.Median(clean.Select(r => r.ServerCpuPercent).OfType<double>()),
                null);
        });
        var cells = medians.ToDictionary(kv => kv.Key, kv => kv.Value with
        {
            Ratio = Statistics.Ratio(kv.Value.MsgsPerSecond, medians.GetValueOrDefault((Ceiling, kv.Key.Shape))?.MsgsPerSecond),
        });
        return new SuiteSummary(cells, peers, shapes);
    }

    /// <summary>The cell of <paramref name="peer"/> at <paramref name="shape"/>, or null if it did not run there.</summary>
    public SummaryCell? Find(string peer, string shape) => _cells.GetValueOrDefault((peer, shape));
}
