using System.Globalization;

namespace EchoBridge.Bench.Hostile;

/// <summary>The server's refusals by reason, read from its Prometheus text (<c>echobridge_connections_refused_total{reason="…"}</c>).</summary>
public static class RefusalCounts
{
    private const string Metric = "echobridge_connections_refused_total";

    /// <summary>Each reason's count in <paramref name="prometheusText"/> (series of one reason are summed).</summary>
    public static IReadOnlyDictionary<string, double> Parse(string prometheusText)
    {
        var counts = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var raw in prometheusText.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (!line.StartsWith(Metric + "{", StringComparison.Ordinal))
            {
                continue;
            }

            var close = line.LastIndexOf('}');
            var reason = Label(line[(Metric.Length + 1)..close], "reason");
            // The value, then an optional timestamp.
            var value = line[(close + 1)..].Trim().Split(' ')[0];
            if (reason is not null && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var count))
            {
                counts[reason] = counts.GetValueOrDefault(reason) + count;
            }
        }

        return counts;
    }

    /// <summary>What each reason grew by from <paramref name="before"/> to <paramref name="after"/> (reasons that did not grow left out).</summary>
    public static IReadOnlyDictionary<string, long> Delta(IReadOnlyDictionary<string, double>? before, IReadOnlyDictionary<string, double>? after)
    {
        var delta = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (reason, count) in after ?? new Dictionary<string, double>())
        {
            var grown = (long)Math.Round(count - (before?.GetValueOrDefault(reason) ?? 0));
            if (grown > 0)
            {
                delta[reason] = grown;
            }
        }

        return delta;
    }

    // The value of one label in `a="x",reason="y \"q\""`: Prometheus escapes \, " and newline inside values.
    private static string? Label(string labels, string name)
    {
        var key = name + "=\"";
        var at = 0;
        while ((at = labels.IndexOf(key, at, StringComparison.Ordinal)) >= 0)
        {
            if (at == 0 || labels[at - 1] == ',' || labels[at - 1] == ' ')
            {
                var value = new System.Text.StringBuilder();
                for (var i = at + key.Length; i < labels.Length; i++)
                {
                    switch (labels[i])
                    {
                        case '\\' when i + 1 < labels.Length:
                            i++;
                            value.Append(labels[i] == 'n' ? '\n' : labels[i]);
                            break;
                        case '"':
                            return value.ToString();
                        default:
                            value.Append(labels[i]);
                            break;
                    }
                }

                return null;
            }

            at += key.Length;
        }

        return null;
    }
}
