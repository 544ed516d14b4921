namespace EchoBridge.Bench.Hostile;

/// <summary>One hostile run, as the command line asked for it (already validated). Every count and time is a bound.</summary>
public sealed record HostileSettings
{
    /// <summary>The published EchoBridge (an executable, or a .dll run with dotnet).</summary>
    public required string EchoBridge { get; init; }

    /// <summary>Where the report, the JSON and the server's logs go.</summary>
    public required string Output { get; init; }

    /// <summary>The server's descriptor limit, soft and hard (<c>prlimit --nofile=N:N</c>).</summary>
    public int Nofile { get; init; } = 4096;

    /// <summary>How long each phase's hostile clients come and stay.</summary>
    public TimeSpan PhaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long after each phase's clients left the server is still watched (memory returned, places free).</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The quiet baseline before the first phase.</summary>
    public TimeSpan Baseline { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Veteran TCP sessions opened before the phases, echoing throughout.</summary>
    public int Veterans { get; init; } = 4;

    /// <summary>Time between two echoes of one veteran.</summary>
    public TimeSpan VeteranInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>An echo not back within this long counts as unserved.</summary>
    public TimeSpan VeteranTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>(a) TCP connections of the flood, held open until the phase ends [default: 1.5 × the descriptor limit].</summary>
    public int FloodConnections { get; init; } = 6144;

    /// <summary>(b) UDP datagrams, each from a new source port.</summary>
    public int UdpDatagrams { get; init; } = 10_100;

    /// <summary>(b) Loopback source addresses the datagrams come from (127.0.0.10, .11, …).</summary>
    public int UdpAddresses { get; init; } = 5;

    /// <summary>(c) Clients that send until the server stops reading them, and never read.</summary>
    public int StalledReaders { get; init; } = 1000;

    /// <summary>(d) Hub connections, each opening <see cref="SessionsPerHubConnection"/> bridge sessions to echo.</summary>
    public int HubConnections { get; init; } = 300;

    /// <summary>(d) Bridge sessions each hub connection opens (the default per-connection cap is 8).</summary>
    public int SessionsPerHubConnection { get; init; } = 8;

    /// <summary>(d) <c>/websockify</c> WebSockets bridged to echo, beside the hub connections [default: a quarter of the descriptor limit].</summary>
    public int WebSockets { get; init; } = 1024;

    /// <summary>(e) Refused hub calls: <c>Open</c> with a long name holding NUL bytes.</summary>
    public int RefusedCalls { get; init; } = 20_000;

    /// <summary>(e) Characters in each refused call's target name.</summary>
    public int RefusedNameLength { get; init; } = 2048;

    /// <summary>The CPU the server is pinned to (<c>taskset</c>).</summary>
    public int ServerCpu { get; init; }

    /// <summary>Extra settings for EchoBridge (<c>--Listener:StallTimeoutSeconds=10</c>); none by default: it runs as shipped.</summary>
    public IReadOnlyList<string> EchoBridgeArguments { get; init; } = [];

    /// <summary>Whether to show a progress line on stderr.</summary>
    public bool Progress { get; init; } = true;

    /// <summary>The command line as given, for the report.</summary>
    public string CommandLine { get; init; } = "";

    /// <summary>Sampling period of the server's /proc figures.</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromMilliseconds(500);
}
