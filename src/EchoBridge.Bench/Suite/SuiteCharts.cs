using System.Globalization;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace EchoBridge.Bench.Suite;

/// <summary>
/// The suite's SVG charts, drawn with OxyPlot: msgs/s as a ratio to refecho per front door and shape, and round-trip
/// percentiles per shape (logarithmic, µs).
/// </summary>
public static class SuiteCharts
{
    /// <summary>The file of the ratio chart.</summary>
    public const string RatiosFile = "ratios.svg";

    private const double Width = 900;

    /// <summary>The file of the round-trip chart of <paramref name="shape"/>.</summary>
    public static string LatencyFile(string shape) => $"latency-{shape}.svg";

    /// <summary>Writes every chart into <paramref name="directory"/>; returns the files written (names only).</summary>
    public static IReadOnlyList<string> Write(SuiteResult result, SuiteSummary summary, string directory)
    {
        var written = new List<string>();
        var labels = result.Peers.ToDictionary(p => p.Key, p => p.Label);
        var ratioPeers = summary.Peers.Where(p => p != SuiteSummary.Ceiling).ToList();
        if (ratioPeers.Count > 0 && summary.Cells.Any(c => c.Ratio is not null))
        {
            var model = Ratios(summary, ratioPeers, labels);
            Export(model, Path.Combine(directory, RatiosFile), ratioPeers.Count * summary.Shapes.Count);
            written.Add(RatiosFile);
        }

        foreach (var shape in summary.Shapes)
        {
            var peers = summary.Peers.Where(p => summary.Find(p, shape) is { P50: not null }).ToList();
            if (peers.Count == 0)
            {
                continue;
            }

            Export(Latency(summary, shape, peers, labels), Path.Combine(directory, LatencyFile(shape)), peers.Count * 3);
            written.Add(LatencyFile(shape));
        }

        return written;
    }

    /// <summary>Bars per peer, one per shape: its median msgs/s over refecho's.</summary>
    public static PlotModel Ratios(SuiteSummary summary, IReadOnlyList<string> peers, IReadOnlyDictionary<string, string> labels)
    {
        var model = Model("msgs/s as a ratio to refecho (the C ceiling) at the same shape, medians of rounds");
        model.Axes.Add(Categories(peers, labels));
        FitLabels(model, peers, labels);
        model.Axes.Add(new LinearAxis
        {
            Position = AxisPosition.Bottom, Minimum = 0, MinimumPadding = 0, MaximumPadding = 0.1, Title = "× refecho",
            MajorGridlineStyle = LineStyle.Dot,
        });
        model.Annotations.Add(new LineAnnotation { Type = LineAnnotationType.Vertical, X = 1, Color = OxyColors.Gray });
        foreach (var shape in summary.Shapes)
        {
            var series = Bars(ShapeLabel(shape), "{0:0.00}");
            for (var i = 0; i < peers.Count; i++)
            {
                if (summary.Find(peers[i], shape)?.Ratio is { } ratio)
                {
                    series.Items.Add(new BarItem(ratio, i));
                }
            }

            if (series.Items.Count > 0)
            {
                model.Series.Add(series);
            }
        }

        return model;
    }

    /// <summary>Bars per peer at one shape: p50, p90 and p99 of the round trip, on a logarithmic axis.</summary>
    public static PlotModel Latency(SuiteSummary summary, string shape, IReadOnlyList<string> peers, IReadOnlyDictionary<string, string> labels)
    {
        var model = Model($"round trip at {ShapeLabel(shape)}, medians of rounds (µs, logarithmic)");
        model.Axes.Add(Categories(peers, labels));
        FitLabels(model, peers, labels);
        model.Axes.Add(new LogarithmicAxis
        {
            Position = AxisPosition.Bottom, Title = "µs", MajorGridlineStyle = LineStyle.Dot, MinorGridlineStyle = LineStyle.None,
        });
        foreach (var (name, pick) in new (string, Func<SummaryCell, double?>)[] { ("p50", c => c.P50), ("p90", c => c.P90), ("p99", c => c.P99) })
        {
            var series = Bars(name, "{0:0}");
            series.BaseValue = 1; // a logarithmic axis has no 0
            for (var i = 0; i < peers.Count; i++)
            {
                if (summary.Find(peers[i], shape) is { } cell && pick(cell) is { } value && value > 0)
                {
                    series.Items.Add(new BarItem(value, i));
                }
            }

            model.Series.Add(series);
        }

        return model;
    }

    /// <summary>The chart as an SVG document.</summary>
    public static string ToSvg(PlotModel model, int bars) =>
        new SvgExporter { Width = Width, Height = Height(bars) }.ExportToString(model);

    private static void Export(PlotModel model, string path, int bars) => File.WriteAllText(path, ToSvg(model, bars));

    // Room for every bar and the legend, whatever the number of peers.
    private static double Height(int bars) => 140 + Math.Max(bars, 4) * 14;

    private static PlotModel Model(string title)
    {
        var model = new PlotModel
        {
            Title = title, TitleFontSize = 14, TitleFontWeight = FontWeights.Normal, DefaultFont = "Arial", // Liberation Sans where Arial is missing: the same widths, which OxyPlot measures with
            Background = OxyColors.White, PlotAreaBorderThickness = new OxyThickness(0, 0, 0, 1),
        };
        model.Legends.Add(new Legend
        {
            LegendPosition = LegendPosition.BottomCenter, LegendPlacement = LegendPlacement.Outside,
            LegendOrientation = LegendOrientation.Horizontal,
        });
        return model;
    }

    private static CategoryAxis Categories(IReadOnlyList<string> peers, IReadOnlyDictionary<string, string> labels)
    {
        // The first peer at the top, as in the report's tables.
        var axis = new CategoryAxis { Position = AxisPosition.Left, StartPosition = 1, EndPosition = 0, GapWidth = 0.3 };
        axis.Labels.AddRange(peers.Select(p => labels.GetValueOrDefault(p, p)));
        return axis;
    }

    // Room on the left for the longest peer name, whatever font the viewer substitutes (about 7 px a character at 12 px).
    private static void FitLabels(PlotModel model, IReadOnlyList<string> peers, IReadOnlyDictionary<string, string> labels)
    {
        var longest = peers.Max(p => labels.GetValueOrDefault(p, p).Length);
        model.PlotMargins = new OxyThickness(longest * 7 + 16, double.NaN, double.NaN, double.NaN);
    }

    // A trailing space: OxyPlot measures the legend's text a little short (the "×" above all) and clips its last letter.
    private static BarSeries Bars(string title, string format) =>
        new() { Title = title + " ", LabelFormatString = format, LabelPlacement = LabelPlacement.Outside, FontSize = 9 };

    private static string ShapeLabel(string shape) =>
        Shape.Parse(shape, out _) is { } parsed ? parsed.Label : shape.ToString(CultureInfo.InvariantCulture);
}
