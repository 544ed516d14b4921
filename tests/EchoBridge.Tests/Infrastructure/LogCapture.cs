using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Events;

namespace EchoBridge.Tests.Infrastructure;

/// <summary>A Serilog sink registered in DI (picked up by <c>ReadFrom.Services</c>) that keeps every event for asserts.</summary>
public sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    /// <summary>Every event so far.</summary>
    public IReadOnlyList<LogEvent> Events => [.. _events];

    /// <summary>Everything a sink could print: rendered messages, every property value and exceptions.</summary>
    public string AllText()
    {
        var text = new StringBuilder();
        foreach (var logEvent in _events)
        {
            text.AppendLine(logEvent.RenderMessage(CultureInfo.InvariantCulture));
            text.AppendLine(logEvent.MessageTemplate.Text);
            foreach (var (name, value) in logEvent.Properties)
            {
                text.Append(name).Append('=').AppendLine(value.ToString());
            }

            text.AppendLine(logEvent.Exception?.ToString());
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
}
