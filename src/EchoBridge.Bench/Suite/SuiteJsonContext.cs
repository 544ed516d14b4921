using System.Text.Json.Serialization;

namespace EchoBridge.Bench.Suite;

/// <summary>The suite's JSON file, indented, snake_case (source-generated: no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true)]
[JsonSerializable(typeof(SuiteResult))]
internal sealed partial class SuiteJsonContext : JsonSerializerContext;
