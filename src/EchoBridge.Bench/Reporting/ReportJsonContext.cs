using System.Text.Json.Serialization;

namespace EchoBridge.Bench.Reporting;

/// <summary>The reports as one-line JSON objects with snake_case names (source-generated: no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EchoReport))]
[JsonSerializable(typeof(IdleReport))]
[JsonSerializable(typeof(BulkReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
