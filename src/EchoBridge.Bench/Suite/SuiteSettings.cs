namespace EchoBridge.Bench.Suite;

/// <summary>Which program loads the plain TCP peers: the bench itself, or the C <c>echoload</c> to cross-check it.</summary>
public enum LoadGenerator
{
    /// <summary>EchoBridge.Bench (every peer).</summary>
    Bench,

    /// <summary><c>echoload</c> for refecho and EchoBridge's TCP; the bench for every other front door.</summary>
    Echoload,
}

/// <summary>One suite run, as the command line asked for it (already validated).</summary>
public sealed record SuiteSettings
{
    /// <summary>The load generator of the plain TCP peers.</summary>
    public LoadGenerator Load { get; init; } = LoadGenerator.Bench;

    /// <summary>Rounds: every server started afresh, the peers measured in turn, in alternating order.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Measured time of each run.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Unmeasured time at the start of each run.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Unmeasured load on each freshly started .NET server, so its JIT reaches optimized code first.</summary>
    public TimeSpan ServerWarmup { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Shapes of refecho, EchoBridge's TCP and Unix echo.</summary>
    public IReadOnlyList<Shape> Shapes { get; init; } = [new(1, 64), new(50, 64), new(200, 64), new(10, 16384)];

    /// <summary>Shapes of EchoBridge's UDP echo (each one of <see cref="Shapes"/>).</summary>
    public IReadOnlyList<Shape> UdpShapes { get; init; } = [new(1, 64), new(50, 64)];

    /// <summary>Shapes of the hub peers (each one of <see cref="Shapes"/>: ratios are to refecho's).</summary>
    public IReadOnlyList<Shape> HubShapes { get; init; } = [new(1, 64), new(50, 64)];

    /// <summary>Shapes of the WebSocket peers, EchoBridge's <c>/websockify</c> and websockify (each one of <see cref="Shapes"/>).</summary>
    public IReadOnlyList<Shape> WebSocketShapes { get; init; } = [new(1, 64), new(50, 64), new(10, 16384)];

    /// <summary>The hub variants measured on EchoBridge and the SignalR ceiling alike.</summary>
    public IReadOnlyList<HubVariant> HubVariants { get; init; } =
    [
        new(Cli.HubProtocol.Json, false, 1), new(Cli.HubProtocol.Json, true, 1),
        new(Cli.HubProtocol.MessagePack, true, 1), new(Cli.HubProtocol.MessagePack, true, 5),
    ];

    /// <summary>Shapes at which EchoBridge's TCP is measured again while a dashboard watches (bench load only).</summary>
    public IReadOnlyList<Shape> WatchedShapes { get; init; } = [new(50, 64)];

    /// <summary>Idle connections opened for the memory figures (TCP, hub and WebSocket); 0 skips them.</summary>
    public int IdleConnections { get; init; } = 2000;

    /// <summary>Rounds of 50 warm-up connections before the idle baseline is read (the bench's <c>--warm-rounds</c>).</summary>
    public int IdleWarmRounds { get; init; } = 8;

    /// <summary>Cold starts of EchoBridge timed (spawn to the echo port accepting); 0 skips them.</summary>
    public int ColdStarts { get; init; } = 5;

    /// <summary>Where the report, the JSON and the charts go.</summary>
    public required string Output { get; init; }

    /// <summary>The programs the suite runs; it builds none of them.</summary>
    public required SuitePrograms Programs { get; init; }

    /// <summary>Extra settings for EchoBridge, to compare variants: <c>--Listener:InlineScheduling=false</c>.</summary>
    public IReadOnlyList<string> EchoBridgeArguments { get; init; } = [];

    /// <summary>The CPU every server is pinned to.</summary>
    public int ServerCpu { get; init; }

    /// <summary>The CPU the load is pinned to.</summary>
    public int LoadCpu { get; init; } = 1;

    /// <summary>Whether to show a progress line on stderr.</summary>
    public bool Progress { get; init; } = true;

    /// <summary>The command line as given, for the report.</summary>
    public string CommandLine { get; init; } = "";
}

/// <summary>
/// The built programs: a path ending in <c>.dll</c> runs with <c>dotnet</c>. <see cref="Websockify"/> is null when
/// websockify is not installed (its peer is then skipped and the report says so).
/// </summary>
public sealed record SuitePrograms(
    string EchoBridge,
    string Ceiling,
    string Refecho,
    string Bench,
    string? Echoload,
    string? Websockify);
