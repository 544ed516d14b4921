using System.Diagnostics.Metrics;
using EchoBridge.Contracts;
using EchoBridge.Sessions;

namespace EchoBridge.Telemetry;

/// <summary>
/// The <c>EchoBridge</c> meter. Everything the listener counts is read from the session registry when a scrape asks
/// (observable instruments), so the echo path pays nothing for metrics, and <c>/metrics</c> and the dashboard agree by
/// construction: both read the same numbers.
/// </summary>
public sealed class EchoBridgeMetrics
{
    /// <summary>The meter's name, for <c>AddMeter</c> and for listeners.</summary>
    public const string MeterName = "EchoBridge";

    private static readonly SessionKind[] Kinds = Enum.GetValues<SessionKind>();

    private readonly Histogram<double> _bridgeRoundTrip;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public EchoBridgeMetrics(IMeterFactory meterFactory, SessionRegistry registry)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableUpDownCounter("echobridge.sessions.active", () => ActiveByKind(registry),
            "{session}", "Listener sessions open now, by kind");
        meter.CreateObservableCounter("echobridge.sessions.total",
            () => Kinds.Select(kind => new Measurement<long>(registry.TotalOf(kind), KindTag(kind))),
            "{session}", "Listener sessions opened since start, by kind");
        meter.CreateObservableCounter("echobridge.bytes", () => Directions(registry.GetTotals(), bytes: true),
            "By", "Bytes through the listener, by direction (in = from clients)");
        meter.CreateObservableCounter("echobridge.messages", () => Directions(registry.GetTotals(), bytes: false),
            "{message}", "Reads and writes (datagrams for UDP) of the listener, by direction");
        meter.CreateObservableCounter("echobridge.connections.refused",
            () => registry.RefusedByReason.Select(pair => new Measurement<long>(pair.Value, new KeyValuePair<string, object?>("reason", pair.Key))),
            "{connection}", "Clients turned away, by reason");
        _bridgeRoundTrip = meter.CreateHistogram<double>("echobridge.bridge.round_trip", "ms",
            "Time from a bridge Send until the target's first reply bytes");
    }

    /// <summary>Records one bridge round trip.</summary>
    public void RecordBridgeRoundTrip(TimeSpan elapsed) => _bridgeRoundTrip.Record(elapsed.TotalMilliseconds);

    private static IEnumerable<Measurement<long>> ActiveByKind(SessionRegistry registry)
    {
        var counts = new long[Kinds.Length];
        foreach (var session in registry.Sessions)
        {
            counts[(int)session.Kind]++;
        }

        return Kinds.Select(kind => new Measurement<long>(counts[(int)kind], KindTag(kind)));
    }

    private static Measurement<long>[] Directions(ListenerTotals totals, bool bytes) =>
    [
        new(bytes ? totals.BytesIn : totals.MessagesIn, new KeyValuePair<string, object?>("direction", "in")),
        new(bytes ? totals.BytesOut : totals.MessagesOut, new KeyValuePair<string, object?>("direction", "out")),
    ];

    private static KeyValuePair<string, object?> KindTag(SessionKind kind) => new("kind", kind.ToString().ToLowerInvariant());
}
