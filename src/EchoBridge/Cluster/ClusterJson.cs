using System.Text.Json;
using System.Text.Json.Serialization;

namespace EchoBridge.Cluster;

/// <summary>The JSON of what the cluster keeps in and sends through Redis (source-generated, no reflection per tick).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(InstanceSummary))]
[JsonSerializable(typeof(ClusterMessage))]
internal sealed partial class ClusterJson : JsonSerializerContext;
