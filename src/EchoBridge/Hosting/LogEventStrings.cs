using Serilog.Events;

namespace EchoBridge.Hosting;

/// <summary>
/// Rewrites the text of a log event's properties, at any depth (sequences, structures, dictionaries), for the
/// enrichers that keep secrets and clients' text out of the logs. Objects other than strings are judged by their
/// text (<c>ToString</c>), which is what a sink prints.
/// </summary>
internal static class LogEventStrings
{
    /// <summary>Replaces every property text for which <paramref name="rewrite"/> returns a new text (null = keep).</summary>
    public static void Rewrite(LogEvent logEvent, Func<string, string?> rewrite)
    {
        List<LogEventProperty>? replaced = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (Rewrite(value, rewrite) is { } changed)
            {
                (replaced ??= []).Add(new LogEventProperty(name, changed));
            }
        }

        foreach (var property in replaced ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    private static LogEventPropertyValue? Rewrite(LogEventPropertyValue value, Func<string, string?> rewrite) => value switch
    {
        ScalarValue { Value: string text } => rewrite(text) is { } changed ? new ScalarValue(changed) : null,
        ScalarValue { Value: { } other } when other.GetType().IsClass && rewrite(other.ToString() ?? "") is { } changed
            => new ScalarValue(changed),
        SequenceValue sequence when sequence.Elements.Any(e => Rewrite(e, rewrite) is not null)
            => new SequenceValue(sequence.Elements.Select(e => Rewrite(e, rewrite) ?? e)),
        StructureValue structure when structure.Properties.Any(p => Rewrite(p.Value, rewrite) is not null)
            => new StructureValue(structure.Properties.Select(p => new LogEventProperty(p.Name, Rewrite(p.Value, rewrite) ?? p.Value)), structure.TypeTag),
        DictionaryValue dictionary when dictionary.Elements.Any(e => Rewrite(e.Value, rewrite) is not null)
            => new DictionaryValue(dictionary.Elements.Select(e => KeyValuePair.Create(e.Key, Rewrite(e.Value, rewrite) ?? e.Value))),
        _ => null,
    };
}
