using System.Text.Json.Serialization;

namespace EchoBridge.Bench.Reporting;

/// <summary>The result of a closed-loop run (tcp, unix, udp, hub). MB/s counts payload one way, as echoload does.</summary>
public sealed record EchoReport(
    string Mode,
    string Target,
    int Connections,
    int Size,
    double WarmupSeconds,
    double MeasuredSeconds,
    long Messages,
    [property: JsonPropertyName("msgs_per_s")] double MessagesPerSecond,
    [property: JsonPropertyName("mb_per_s")] double MegabytesPerSecond,
    [property: JsonPropertyName("rtt_us")] LatencySummary RoundTrip,
    long IntegrityErrors,
    long Lost,
    long Late,
    int ConnectionFailures,
    string? Failure,
    double ClientCpuPercent,
    double? ServerCpuPercent,
    double ClientAllocatedBytesPerMessage)
{
    /// <summary>Dashboard Watch streams held open during the run (<c>--watchers</c>).</summary>
    public int Watchers { get; init; }

    /// <summary>Snapshots those watchers received, warmup included.</summary>
    public long SnapshotsReceived { get; init; }

    /// <summary>Whether the run was clean: echoes came back, all of them intact, and no connection failed.</summary>
    public bool Ok => Messages > 0 && IntegrityErrors == 0 && Lost == 0 && ConnectionFailures == 0;
}
