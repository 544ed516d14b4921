namespace EchoBridge.Bench.Suite;

/// <summary>Which of the suite's shape lists a peer is measured at.</summary>
public enum PeerShapes
{
    /// <summary><c>--shapes</c>: the raw echo front doors.</summary>
    Echo,

    /// <summary><c>--udp-shapes</c>: the UDP echo (a lost datagram fails a run, and many connections or big ones lose some).</summary>
    Udp,

    /// <summary><c>--hub-shapes</c>: the hub front door and the SignalR ceiling.</summary>
    Hub,

    /// <summary><c>--websocket-shapes</c>: EchoBridge's <c>/websockify</c> and websockify.</summary>
    WebSocket,

    /// <summary><c>--watched-shapes</c>: EchoBridge's TCP again while a dashboard watches.</summary>
    Watched,
}

/// <summary>
/// One thing measured side by side: a server, a front door of it, and the bench arguments that load it (the bench's
/// mode and target; the suite adds the shape, the times and the server's pid).
/// </summary>
/// <param name="Key">Stable name, used in the JSON and the chart files: <c>echobridge-tcp</c>.</param>
/// <param name="Label">As the report and the charts show it.</param>
/// <param name="Server">The server it needs running.</param>
/// <param name="Shapes">The shape list it is measured at.</param>
/// <param name="Load">The bench's mode and target arguments for the running servers.</param>
public sealed record Peer(string Key, string Label, ServerKind Server, PeerShapes Shapes, Func<PeerEndpoints, IReadOnlyList<string>> Load)
{
    /// <summary>Whether <c>--load echoload</c> loads it (plain TCP echo with nothing else going on).</summary>
    public bool Echoload { get; init; }

    /// <summary>Why it cannot run here, if it cannot: it is then listed as skipped in the report.</summary>
    public string? Unavailable { get; init; }
}

/// <summary>An idle-memory measurement: the bench's <c>idle</c> mode over one front door of a fresh EchoBridge.</summary>
public sealed record IdlePeer(string Key, string Label, Func<PeerEndpoints, IReadOnlyList<string>> Load)
{
    /// <summary>Why it cannot run here, if it cannot.</summary>
    public string? Unavailable { get; init; }
}
