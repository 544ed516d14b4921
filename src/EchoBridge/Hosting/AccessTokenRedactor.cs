using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;

namespace EchoBridge.Hosting;

/// <summary>
/// Keeps the access token out of every log event, whatever the level: SignalR's browser client puts it in the query
/// string, which Microsoft.AspNetCore's request and connection logs print at Information/Debug. Any string property
/// holding <c>access_token=…</c> (or the configured token itself) is rewritten with the value masked.
/// </summary>
public sealed partial class AccessTokenRedactor(string token) : ILogEventEnricher
{
    private const string Masked = "***";

    /// <inheritdoc />
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? replaced = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (Redact(value) is { } clean)
            {
                (replaced ??= []).Add(new LogEventProperty(name, clean));
            }
        }

        foreach (var property in replaced ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    /// <summary>Whether some text would need masking (used to drop events whose template itself holds a token).</summary>
    public bool Leaks(string text) =>
        text.Contains("access_token", StringComparison.OrdinalIgnoreCase) || (token.Length > 0 && text.Contains(token, StringComparison.Ordinal));

    private LogEventPropertyValue? Redact(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string text } when Leaks(text) => new ScalarValue(Mask(text)),
        ScalarValue { Value: { } other } when other is not string && other.GetType().IsClass && Leaks(other.ToString() ?? "")
            => new ScalarValue(Mask(other.ToString() ?? "")),
        SequenceValue sequence when sequence.Elements.Any(e => Redact(e) is not null)
            => new SequenceValue(sequence.Elements.Select(e => Redact(e) ?? e)),
        StructureValue structure when structure.Properties.Any(p => Redact(p.Value) is not null)
            => new StructureValue(structure.Properties.Select(p => new LogEventProperty(p.Name, Redact(p.Value) ?? p.Value)), structure.TypeTag),
        DictionaryValue dictionary when dictionary.Elements.Any(e => Redact(e.Value) is not null)
            => new DictionaryValue(dictionary.Elements.Select(e => KeyValuePair.Create(e.Key, Redact(e.Value) ?? e.Value))),
        _ => null,
    };

    private string Mask(string text)
    {
        var masked = TokenParameter().Replace(text, "$1" + Masked);
        return token.Length > 0 ? masked.Replace(token, Masked, StringComparison.Ordinal) : masked;
    }

    [GeneratedRegex("(access_token=)[^&#\\s\"']*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TokenParameter();
}
