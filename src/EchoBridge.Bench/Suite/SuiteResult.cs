using System.Text.Json.Serialization;

namespace EchoBridge.Bench.Suite;

/// <summary>Everything one suite run measured, as written to <c>suite.json</c>: every run's raw figures.</summary>
public sealed record SuiteResult(
    SuiteMachine Machine,
    SuiteConfiguration Configuration,
    IReadOnlyList<PeerInfo> Peers,
    IReadOnlyList<RunRecord> Runs,
    IReadOnlyList<IdleRecord> Idle,
    IReadOnlyList<double> ColdStartSeconds,
    IReadOnlyList<SkippedPeer> Skipped)
{
    /// <summary>Whether something went wrong: a run failed, an idle measurement failed.</summary>
    public bool Ok => Runs.All(r => r.Ok) && Idle.All(i => i.Ok);
}

/// <summary>Where and when: the commit measured, the date, the machine and how busy it was.</summary>
public sealed record SuiteMachine(string Commit, DateTimeOffset Started, double Seconds, int Cpus, double LoadAverageBefore, string Runtime);

/// <summary>How the suite ran.</summary>
public sealed record SuiteConfiguration(
    string CommandLine,
    string Load,
    int Rounds,
    double DurationSeconds,
    double WarmupSeconds,
    double ServerWarmupSeconds,
    IReadOnlyList<string> Shapes,
    IReadOnlyList<string> UdpShapes,
    IReadOnlyList<string> HubShapes,
    IReadOnlyList<string> WebSocketShapes,
    IReadOnlyList<string> WatchedShapes,
    IReadOnlyList<string> HubVariants,
    int IdleConnections,
    int ColdStarts,
    IReadOnlyList<string> EchoBridgeArguments,
    int ServerCpu,
    int LoadCpu);

/// <summary>A peer as the report names it.</summary>
public sealed record PeerInfo(string Key, string Label, string Server);

/// <summary>One measured run: a peer at a shape in a round, with the load's figures (round trips in µs).</summary>
public sealed record RunRecord(
    int Round,
    string Peer,
    string Shape,
    string Load,
    bool Ok,
    [property: JsonPropertyName("msgs_per_s")] double MsgsPerSecond,
    [property: JsonPropertyName("mb_per_s")] double MegabytesPerSecond,
    double? P50,
    double? P90,
    double? P99,
    double? P999,
    double? ServerCpuPercent,
    double? LoadCpuPercent,
    string? Error);

/// <summary>Server memory per idle connection over one front door of a fresh EchoBridge.</summary>
public sealed record IdleRecord(string FrontDoor, int Connections, bool Ok, double BytesPerConnection, long RssBeforeKib, long RssAfterKib, string? Error);

/// <summary>A peer that did not run here, and why.</summary>
public sealed record SkippedPeer(string Peer, string Reason);
