using System.Globalization;
using System.Resources;
using Microsoft.AspNetCore.SignalR;

namespace EchoBridge.Client.Hub;

/// <summary>Turns a failed hub call into a sentence a person can act on — never a stack trace.</summary>
public static class HubErrors
{
    // A static helper has no IStringLocalizer to be given: it reads HubErrors.resx (and HubErrors.es.resx) through the
    // ResourceManager that IStringLocalizer wraps, in the page's CurrentUICulture.
    private static readonly ResourceManager Text = new(typeof(HubErrors));

    /// <summary>The plain-words reason for <paramref name="error"/>.</summary>
    public static string Describe(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error switch
        {
            // The hub's own errors are already written for people; SignalR prefixes them with its own words.
            HubException hub => StripSignalRPrefix(hub.Message),
            InvalidOperationException when error.Message.Contains("not active", StringComparison.OrdinalIgnoreCase)
                => Word("NotConnected"),
            OperationCanceledException => Word("Cancelled"),
            TimeoutException => Word("Timeout"),
            HttpRequestException => Word("Unreachable"),
            _ => error.Message,
        };
    }

    /// <summary>The words for a capture the server no longer keeps (404 from the capture API).</summary>
    public static string NotKept(string sessionId) =>
        string.Format(CultureInfo.CurrentCulture, Word("NotKept"), sessionId);

    private static string Word(string name) => Text.GetString(name, CultureInfo.CurrentUICulture) ?? name;

    private static string StripSignalRPrefix(string message)
    {
        const string Marker = "HubException: ";
        var at = message.IndexOf(Marker, StringComparison.Ordinal);
        return at >= 0 ? message[(at + Marker.Length)..] : message;
    }
}
