namespace EchoBridge.Bench.Reporting;

/// <summary>The result of an idle run: what N open, quiet connections cost the server in resident memory.</summary>
public sealed record IdleReport(
    string Mode,
    string Target,
    int Connections,
    int Size,
    int ServerPid,
    int WarmConnections,
    double OpenSeconds,
    double SettleSeconds,
    long ServerRssBeforeKib,
    long ServerRssAfterKib,
    double ServerBytesPerConnection,
    string? Failure)
{
    /// <summary>Whether every connection opened (and echoed its message, if one was sent).</summary>
    public bool Ok => Failure is null;
}
