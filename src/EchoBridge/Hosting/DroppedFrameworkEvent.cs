using Serilog.Core;
using Serilog.Events;

namespace EchoBridge.Hosting;

/// <summary>
/// Drops one framework log event, named by its logger (a prefix of <c>SourceContext</c>) and its <c>EventId</c> name,
/// at <paramref name="minimumLevel"/> or above: for events that say, at Error and with a stack trace, what EchoBridge
/// already reports once in words. The logger's other events stay. Registered as an <see cref="ILogEventFilter"/>
/// singleton, which the logger reads (<c>ReadFrom.Services</c>).
/// </summary>
public sealed class DroppedFrameworkEvent(string logger, string eventName, LogEventLevel minimumLevel = LogEventLevel.Verbose)
    : ILogEventFilter
{
    /// <inheritdoc />
    public bool IsEnabled(LogEvent logEvent) =>
        !(logEvent.Level >= minimumLevel
          && logEvent.Properties.TryGetValue("SourceContext", out var source)
          && source is ScalarValue { Value: string context } && context.StartsWith(logger, StringComparison.Ordinal)
          && logEvent.Properties.TryGetValue("EventId", out var id) && id is StructureValue structure
          && structure.Properties.Any(p => p is { Name: "Name", Value: ScalarValue { Value: string name } } && name == eventName));
}
