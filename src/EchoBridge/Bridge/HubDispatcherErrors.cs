using Serilog.Core;
using Serilog.Events;

namespace EchoBridge.Bridge;

/// <summary>
/// Drops SignalR's own "Failed to invoke hub method" event: its dispatcher logs every exception a hub method throws
/// at Error with a stack trace and the client's words, refusals included — 20,000 refused calls made 58 MB of log.
/// <see cref="BridgeHubFilter"/> logs each failure once instead, at the level it deserves. The dispatcher's other
/// events (all Debug and Trace) stay.
/// </summary>
public sealed class HubDispatcherErrors : ILogEventFilter
{
    private const string Dispatcher = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";
    private const string FailedInvoking = "FailedInvokingHubMethod";

    /// <inheritdoc />
    public bool IsEnabled(LogEvent logEvent) =>
        !(logEvent.Level >= LogEventLevel.Error
          && logEvent.Properties.TryGetValue("SourceContext", out var source) && source is ScalarValue { Value: Dispatcher }
          && logEvent.Properties.TryGetValue("EventId", out var id) && id is StructureValue structure
          && structure.Properties.Any(p => p is { Name: "Name", Value: ScalarValue { Value: FailedInvoking } }));
}
