using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;

namespace EchoBridge.Hosting;

/// <summary>
/// Keeps the access token out of every log event, whatever the level and however it is encoded: SignalR's browser
/// client puts it in the query string, which Microsoft.AspNetCore's request and connection logs print at
/// Information/Debug, and a client may percent-encode any of it (<c>access%5Ftoken=%73%33…</c>). Any text that holds
/// the <c>access_token</c> parameter or the token itself, once percent-decoded, is rewritten decoded with the value
/// masked. Reads the token when each event is written, so a token made up at start is masked too.
/// </summary>
public sealed partial class AccessTokenRedactor(AccessToken token) : ILogEventEnricher
{
    private const string Masked = "***";

    // Enough for text encoded twice over (%2573); a token encoded deeper is not a token the server would take.
    private const int MaxDecodings = 3;

    /// <inheritdoc />
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory) =>
        LogEventStrings.Rewrite(logEvent, text => Leaks(text) ? Mask(text) : null);

    /// <summary>Whether some text would need masking (used to drop events whose template itself holds a token).</summary>
    public bool Leaks(string text) => Holds(text) || (text.Contains('%') && Holds(Decode(text)));

    private bool Holds(string text)
    {
        var value = token.Value;
        return text.Contains(AccessToken.QueryParameter, StringComparison.OrdinalIgnoreCase)
            || (value.Length > 0 && text.Contains(value, StringComparison.Ordinal));
    }

    private string Mask(string text)
    {
        var masked = TokenParameter().Replace(Decode(text), "$1" + Masked);
        var value = token.Value;
        return value.Length > 0 ? masked.Replace(value, Masked, StringComparison.Ordinal) : masked;
    }

    private static string Decode(string text)
    {
        for (var i = 0; i < MaxDecodings && text.Contains('%'); i++)
        {
            var decoded = Uri.UnescapeDataString(text);
            if (decoded == text)
            {
                break;
            }

            text = decoded;
        }

        return text;
    }

    [GeneratedRegex("(access_token=)[^&#\\s\"']*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TokenParameter();
}
