namespace EchoBridge.Bench.Hostile;

/// <summary>One hostile run: where and how it ran, every phase's figures, and whether the server came through.</summary>
public sealed record HostileResult(
    HostileMachine Machine,
    HostileConfiguration Configuration,
    IReadOnlyList<PhaseResult> Phases,
    bool ServerSurvived,
    int? ServerExitCode,
    IReadOnlyList<string> VeteranErrors,
    bool Interrupted)
{
    /// <summary>The run's verdict: the server lived and every veteran echo was served.</summary>
    public bool Ok => ServerSurvived && Phases.All(p => p.VeteransFailed == 0 && p.Error is null);
}

/// <summary>The machine and the moment: a shared machine's load average moves every figure.</summary>
public sealed record HostileMachine(string Commit, DateTimeOffset Started, double Seconds, int Cpus, double LoadAverageBefore, double LoadAverageAfter,
    string Runtime);

/// <summary>The run's settings as the report states them.</summary>
public sealed record HostileConfiguration(string CommandLine, int Nofile, double PhaseSeconds, double SettleSeconds, int ServerCpu, int Veterans,
    double VeteranIntervalMs, IReadOnlyList<string> EchoBridgeArguments, string? DescriptorLine);

/// <summary>
/// One phase's figures, over its clients' time and the settle after they left: the server's memory (RSS, MiB), CPU
/// (percent of one core between samples), descriptors and threads from /proc; the veterans' echoes; the server's
/// refusals by reason (the growth of <c>echobridge_connections_refused_total</c>); and how much its log grew.
/// </summary>
public sealed record PhaseResult(
    string Key,
    string Title,
    string Clients,
    IReadOnlyDictionary<string, long> Outcome,
    double Seconds,
    PhaseFigures Figures,
    IReadOnlyDictionary<string, long> Refused,
    long LogBytesGrown,
    string? Error)
{
    /// <summary>Veteran echoes that went unserved in this phase.</summary>
    public long VeteransFailed => Figures.VeteransFailed;
}
