using Serilog.Core;
using Serilog.Events;

namespace EchoBridge.Hosting;

/// <summary>
/// The last word on every event's properties, ours and third parties' (request paths, Host headers, SignalR's
/// invocation messages): control characters escaped and each text cut to <see cref="LogText.AnyMax"/> characters,
/// so no client can forge a line or grow one without bound. Runs after the token redactor, so a cut never leaves a
/// piece of a token behind.
/// </summary>
public sealed class LogTextEnricher : ILogEventEnricher
{
    /// <inheritdoc />
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory) =>
        LogEventStrings.Rewrite(logEvent, static text => LogText.Safe(text, LogText.AnyMax) is var safe && !ReferenceEquals(safe, text) ? safe : null);
}
