namespace EchoBridge.Bench.Reporting;

/// <summary>
/// The result of an idle run: what N open, quiet connections cost the server in resident memory, and the server's CPU
/// use over the settle window (with <c>--watchers</c>, while dashboards watch them).
/// </summary>
public sealed record IdleReport(
    string Mode,
    string Target,
    int Connections,
    int Size,
    int ServerPid,
    int WarmConnections,
    int WarmRounds,
    double OpenSeconds,
    double SettleSeconds,
    long ServerRssBeforeKib,
    long ServerRssAfterKib,
    double ServerBytesPerConnection,
    double? ServerCpuPercent,
    int Watchers,
    string? Failure)
{
    /// <summary>Whether every connection opened (and echoed its message, if one was sent).</summary>
    public bool Ok => Failure is null;
}
