using Serilog.Core;
using Serilog.Events;

namespace EchoBridge.Cluster;

/// <summary>
/// Drops the Redis backplane's "Not connected to Redis." event: it is logged at Error whenever Redis is away at start,
/// an expected condition that <see cref="RedisLink"/> already reports once, at Warning, in words. Its other events stay.
/// </summary>
public sealed class BackplaneNotConnected : ILogEventFilter
{
    private const string Backplane = "Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisHubLifetimeManager";
    private const string NotConnected = "NotConnected";

    /// <inheritdoc />
    public bool IsEnabled(LogEvent logEvent) =>
        !(logEvent.Properties.TryGetValue("SourceContext", out var source)
          && source is ScalarValue { Value: string context } && context.StartsWith(Backplane, StringComparison.Ordinal)
          && logEvent.Properties.TryGetValue("EventId", out var id) && id is StructureValue structure
          && structure.Properties.Any(p => p is { Name: "Name", Value: ScalarValue { Value: NotConnected } }));
}
