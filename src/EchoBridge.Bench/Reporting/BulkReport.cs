using System.Text.Json.Serialization;

namespace EchoBridge.Bench.Reporting;

/// <summary>The result of a bulk run: one connection streaming chunks, the echo verified as it comes back.</summary>
public sealed record BulkReport(
    string Mode,
    string Target,
    int ChunkSize,
    double WarmupSeconds,
    double MeasuredSeconds,
    long BytesSent,
    long BytesEchoed,
    [property: JsonPropertyName("mb_per_s")] double MegabytesPerSecond,
    long IntegrityErrors,
    string? Failure,
    double ClientCpuPercent,
    double? ServerCpuPercent)
{
    /// <summary>Whether every byte came back, unchanged.</summary>
    public bool Ok => Failure is null && IntegrityErrors == 0 && BytesEchoed == BytesSent && BytesSent > 0;
}
